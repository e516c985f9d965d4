import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { LandingFetchError } from './errors.ts';
import { fetchLandedFiles } from './fetchLandedFiles.ts';

/**
 * A stand-in for S3 in this module's unit test only (the scenarios use moto): it lists the given
 * objects, answers GetObject slowly enough for downloads to overlap, and counts how many overlap.
 */
function fakeS3(objects: Record<string, string>, failKey?: string) {
  const stats = { inFlight: 0, maxInFlight: 0, gets: 0 };
  const client = {
    async send(command: unknown) {
      if (command instanceof ListObjectsV2Command) {
        return { Contents: Object.entries(objects).map(([Key, body]) => ({ Key, Size: body.length })), IsTruncated: false };
      }
      if (command instanceof GetObjectCommand) {
        const key = command.input.Key!;
        stats.gets++;
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        await new Promise((r) => setTimeout(r, 5));
        stats.inFlight--;
        if (key === failKey)
          throw Object.assign(new Error('We encountered an internal error.'), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          });
        return { Body: Readable.from([Buffer.from(objects[key]!)]) };
      }
      throw new Error(`unexpected command ${String(command)}`);
    },
  };
  return { s3: client as unknown as S3Client, stats };
}

const P = 'landing/chargebacks/';
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-fetch-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fetchLandedFiles', () => {
  it('downloads only committed part files, at most `concurrency` at a time, in key order', async () => {
    const objects: Record<string, string> = {
      [`${P}2026-01-31/23/.part-0-1.parquet.inprogress.8c1f`]: 'in progress',
      [`${P}_state/partition-0.json`]: 'state',
      [`${P}2026-01-31/23/_SUCCESS`]: '',
      [`${P}2026-01-31/23/_manifest.json`]: '{"rows":20}', // the hour closer's marker (pipeline/completeness)
    };
    for (let i = 0; i < 20; i++) objects[`${P}2026-01-31/23/part-0-${String(i).padStart(10, '0')}.parquet`] = `file ${i}`;
    const { s3, stats } = fakeS3(objects);
    const progress: string[] = [];
    const out = join(dir, 'a');
    await mkdir(out);
    const fetched = await fetchLandedFiles(s3, { bucket: 'b', prefix: P }, out, {
      concurrency: 3,
      onProgress: (l) => progress.push(l),
    });
    assert.equal(stats.gets, 20);
    assert.ok(stats.maxInFlight <= 3, `at most 3 downloads in flight, saw ${stats.maxInFlight}`);
    assert.ok(stats.maxInFlight > 1, 'downloads overlap');
    assert.equal(fetched.paths.length, 20);
    assert.deepEqual(
      await Promise.all(fetched.paths.map((p) => readFile(p, 'utf8'))),
      Array.from({ length: 20 }, (_, i) => `file ${i}`),
    );
    assert.equal((await readdir(out)).length, 20);
    assert.match(progress[0]!, /^fetching 20 committed file\(s\), .* from s3:\/\/b\/landing\/chargebacks\/$/);
    assert.match(progress.at(-1)!, /^fetched 20 file\(s\) in /);
  });

  it('says the views are empty when nothing is committed', async () => {
    const { s3 } = fakeS3({ [`${P}2026-01-31/23/.part-0-1.parquet.inprogress.8c1f`]: 'x' });
    const progress: string[] = [];
    const fetched = await fetchLandedFiles(s3, { bucket: 'b', prefix: P }, dir, { onProgress: (l) => progress.push(l) });
    assert.deepEqual(fetched, { paths: [], bytes: 0 });
    assert.deepEqual(progress, ['no committed files under s3://b/landing/chargebacks/: the views are empty']);
  });

  it('fails naming the object that could not be fetched, and stops taking new work', async () => {
    const objects: Record<string, string> = {};
    for (let i = 0; i < 30; i++) objects[`${P}2026-01-31/23/part-${String(i).padStart(3, '0')}.parquet`] = 'x';
    const { s3, stats } = fakeS3(objects, `${P}2026-01-31/23/part-002.parquet`);
    const out = join(dir, 'b');
    await mkdir(out);
    await assert.rejects(
      fetchLandedFiles(s3, { bucket: 'b', prefix: P }, out, { concurrency: 2 }),
      (e: unknown) =>
        e instanceof LandingFetchError &&
        e.canRetry &&
        e.message ===
          `fetching s3://b/${P}2026-01-31/23/part-002.parquet: InternalError (HTTP 500): We encountered an internal error.`,
    );
    assert.ok(stats.gets < 30, `downloads stop after the failure (${stats.gets} of 30 started)`);
  });
});
