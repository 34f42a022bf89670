// class-transformer keeps its @Type() metadata in a store its package entry does not export; its CommonJS file does.
declare module 'class-transformer/cjs/storage.js' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
  const storage: { defaultMetadataStorage: MetadataStorage };
  export default storage;
}
