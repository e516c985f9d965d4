import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeTopicsWithRecords, readKafkaStorage } from './KafkaStorage.ts';

async function logDir(layout: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kafka-storage-'));
  for (const [path, content] of Object.entries(layout)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

test('a missing or empty log dir is unformatted and holds no records', async () => {
  const missing = await readKafkaStorage(join(tmpdir(), `no-such-dir-${crypto.randomUUID()}`));
  assert.equal(missing.formatted, false);
  assert.deepEqual(missing.topicsWithRecords, []);
  const dir = await logDir({});
  assert.equal((await readKafkaStorage(dir)).formatted, false);
  await rm(dir, { recursive: true });
});

test('a formatted dir reports its cluster id and the topics whose segments hold bytes, largest first', async () => {
  const dir = await logDir({
    'meta.properties': '#\n#Wed Dec 02 00:36:47 UTC 2026\nnode.id=1\nversion=1\ncluster.id=MkU3OEVBNTcwNTJENDM2Qg\n',
    'chargebacks-0/00000000000000000000.log': 'x'.repeat(300),
    'chargebacks-0/00000000000000000000.index': 'i'.repeat(5000),
    'chargebacks-2/00000000000000000000.log': 'x'.repeat(200),
    'chargebacks-dlq-1/00000000000000000000.log': 'x'.repeat(10),
    // Empty partitions, internal topics and partitions waiting for deletion are not records of ours.
    'chargebacks-dlq-0/00000000000000000000.log': '',
    '__consumer_offsets-0/00000000000000000000.log': 'x'.repeat(9999),
    '__cluster_metadata-0/00000000000000000000.log': 'x'.repeat(9999),
    'old-topic-0.3f2a9c1d5e6b4a7f8c9d0e1f2a3b4c5d-delete/00000000000000000000.log': 'x'.repeat(9999),
  });
  const storage = await readKafkaStorage(dir);
  assert.equal(storage.formatted, true);
  assert.equal(storage.clusterId, 'MkU3OEVBNTcwNTJENDM2Qg');
  assert.deepEqual(storage.topicsWithRecords, [
    { topic: 'chargebacks', bytes: 500 },
    { topic: 'chargebacks-dlq', bytes: 10 },
  ]);
  assert.equal(describeTopicsWithRecords(storage), 'chargebacks (500 B), chargebacks-dlq (10 B)');
  await rm(dir, { recursive: true });
});
