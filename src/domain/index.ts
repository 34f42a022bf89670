export * from './errors.js';
export * from './credit-code.js';
export * from './money.js';
export * from './china-time.js';
export * from './working-days.js';
export * from './timing-rules.js';
export * from './catalog.js';
