import { createHash } from 'node:crypto';
import { ConditionalWriteConflictError } from './errors.ts';
import type { ObjectStore, S3ObjectInfo } from './ObjectStore.ts';

/**
 * An S3 stand-in for protocol tests: atomic conditional writes like S3, and a crash switch —
 * `crashAtMutation(n, applied)` makes the n-th mutating call (put/copy/delete) kill the
 * "process": either before the call reaches the store or after it was applied (the response
 * lost), and every later call fails too until `revive()`. What the store holds then is exactly
 * what a SIGKILL at that instant would leave in S3.
 */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
  }
}

interface StoredObject {
  body: Uint8Array;
  etag: string;
  lastModified: Date;
}

export class InMemoryObjectStore implements ObjectStore {
  readonly bucket = 'in-memory';
  readonly objects = new Map<string, StoredObject>();
  mutations = 0;
  private crashPlan: { at: number; applied: boolean } | undefined;
  private dead = false;

  crashAtMutation(at: number, applied: boolean): void {
    this.crashPlan = { at, applied };
  }

  revive(): void {
    this.dead = false;
    this.crashPlan = undefined;
  }

  get crashed(): boolean {
    return this.dead;
  }

  private alive(): void {
    if (this.dead) throw new SimulatedCrash();
  }

  private async mutate<T>(apply: () => T): Promise<T> {
    this.alive();
    this.mutations++;
    const plan = this.crashPlan;
    if (plan && this.mutations === plan.at) {
      this.dead = true;
      if (plan.applied) apply();
      throw new SimulatedCrash();
    }
    return apply();
  }

  async putObject(key: string, body: Uint8Array, condition: { ifMatch?: string; ifNoneMatch?: '*' } = {}): Promise<string> {
    return this.mutate(() => {
      const current = this.objects.get(key);
      if (condition.ifNoneMatch === '*' && current) throw new ConditionalWriteConflictError(`${key} exists`);
      if (condition.ifMatch !== undefined && current?.etag !== condition.ifMatch)
        throw new ConditionalWriteConflictError(`${key} changed`);
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      this.objects.set(key, { body: new Uint8Array(body), etag, lastModified: new Date() });
      return etag;
    });
  }

  async getObject(key: string): Promise<{ body: Uint8Array; etag: string } | undefined> {
    this.alive();
    const o = this.objects.get(key);
    return o && { body: o.body, etag: o.etag };
  }

  async exists(key: string): Promise<boolean> {
    this.alive();
    return this.objects.has(key);
  }

  async copyObject(sourceKey: string, destinationKey: string): Promise<boolean> {
    return this.mutate(() => {
      const src = this.objects.get(sourceKey);
      if (!src) return false;
      this.objects.set(destinationKey, { ...src, lastModified: new Date() });
      return true;
    });
  }

  async deleteObject(key: string): Promise<void> {
    await this.mutate(() => void this.objects.delete(key));
  }

  async listObjects(prefix: string): Promise<S3ObjectInfo[]> {
    this.alive();
    return [...this.objects]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, o]) => ({ key, size: o.body.length, lastModified: o.lastModified }));
  }
}
