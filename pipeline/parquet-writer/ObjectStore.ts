export interface S3ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * The object operations the checkpoint protocol needs. LandingStore is the S3 implementation;
 * tests use an in-memory one (fixtures/InMemoryObjectStore.ts) to crash the protocol at every step.
 */
export interface ObjectStore {
  readonly bucket: string;
  putObject(
    key: string,
    body: Uint8Array,
    condition?: { ifMatch?: string; ifNoneMatch?: '*' },
    contentType?: string,
  ): Promise<string>;
  getObject(key: string): Promise<{ body: Uint8Array; etag: string } | undefined>;
  exists(key: string): Promise<boolean>;
  copyObject(sourceKey: string, destinationKey: string): Promise<boolean>;
  deleteObject(key: string): Promise<void>;
  listObjects(prefix: string): Promise<S3ObjectInfo[]>;
}
