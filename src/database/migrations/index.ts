import { Foundation1764000000000 } from './1764000000000-foundation.js';

/** Every migration, in order. Listed here rather than globbed so ESM builds and tests load the same set. */
export const MIGRATIONS = [Foundation1764000000000];
