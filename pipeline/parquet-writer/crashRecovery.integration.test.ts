import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Producer } from 'kafkajs';
import type { WriterEvent } from './WriterEvent.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { assertExactlyOnce, readLanded } from '../../fixtures/landedRows.ts';
import { messageOf, produce, type Produced } from '../../fixtures/testMessages.ts';
import { isolatedWriterSetup, requireStack, type TestStack } from '../../fixtures/TestStack.ts';
import { waitUntil } from '../../localstack/waitUntil.ts';

/**
 * DESIGN §6: "after any crash (SIGKILL at any instant) … every record of the topic is in exactly
 * one committed Parquet file". The writer runs as a child process (main.ts, as the CLI runs it)
 * and is SIGKILLed at random instants while records keep arriving; each restart must recover
 * from S3 and carry on. Rollover is 300 ms so kills land in every phase of a checkpoint.
 */
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

let stack: TestStack;
let producer: Producer;
const children = new Set<ChildProcess>();
before(async () => {
  stack = await requireStack();
  producer = stack.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
after(async () => {
  for (const c of children) c.kill('SIGKILL'); // a failed test must not leave writers running
  await producer?.disconnect();
  await stack?.close();
});

interface WriterProcess {
  child: ChildProcess;
  events: WriterEvent[];
  /** Called for each event as soon as its line arrives (to SIGKILL in the middle of a checkpoint). */
  onEvent?: (e: WriterEvent) => void;
  exited: Promise<number | null>;
  stderr: string[];
}

function spawnWriter(env: NodeJS.ProcessEnv): WriterProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const events: WriterEvent[] = [];
  const stderr: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.startsWith('{')) continue;
      const e = JSON.parse(line) as WriterEvent;
      events.push(e);
      w.onEvent?.(e);
    }
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const w: WriterProcess = { child, events, exited, stderr };
  return w;
}

describe('writer process killed with SIGKILL', () => {
  it('lands every record exactly once across repeated SIGKILLs and restarts while records keep arriving', async () => {
    // Prepare: a topic that keeps growing, with poison records and upstream duplicates in it.
    const t = await isolatedWriterSetup(stack, 'sigkill');
    const env: NodeJS.ProcessEnv = {
      ...stack.env,
      KAFKA_TOPIC: t.topic,
      DLQ_TOPIC: t.dlqTopic,
      WRITER_GROUP_ID: t.groupId,
      LANDING_BUCKET: t.bucket,
      LANDING_PREFIX: t.prefix,
      STATE_PREFIX: t.statePrefix,
      ROLLOVER_MS: '300',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      WRITER_LOG: 'json',
    };
    // Produced over ~50 s, so that every restart (which waits out the killed member's 6 s session) finds a backlog.
    const records = Array.from({ length: 12_000 }, (_, i) => changeRecord(i, { chargeback_id: `cb-${i % 500}` }));
    const expected: Array<{ record: (typeof records)[number]; partition: number; offset: bigint }> = [];
    let producing = true;
    const production = (async () => {
      for (let i = 0; i < records.length; i += 200) {
        const chunk = records.slice(i, i + 200);
        const messages = [
          ...chunk.map(messageOf),
          ...chunk.slice(0, 10).map(messageOf),
          { partition: i % 3, key: 'poison', value: Buffer.from(`poison ${i}`) },
        ];
        const produced: Produced[] = await produce(producer, t.topic, messages);
        chunk.forEach((record, j) => {
          expected.push({ record, partition: produced[j]!.partition, offset: produced[j]!.offset });
        });
        await new Promise((r) => setTimeout(r, 800));
      }
      producing = false;
    })();

    // Act: kill the writer several times — at a random instant after its first commit, or the
    // moment it reports a committed file (its checkpoint is then between copy, offset commit and cleanup).
    const recoveries: WriterEvent[] = [];
    for (let kill = 0; kill < 6; kill++) {
      const w = spawnWriter(env);
      if (kill % 2)
        w.onEvent = (e) =>
          void (
            e.type === 'file-committed' &&
            w.events.filter((x) => x.type === 'file-committed').length > 1 &&
            w.child.kill('SIGKILL')
          );
      const committed = await waitUntil(async () => (w.events.some((e) => e.type === 'file-committed') ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 50,
      });
      assert.ok(committed.ok, `a committed file: ${committed.ok || committed.reason}; writer stderr:\n${w.stderr.join('')}`);
      if (kill % 2 === 0) await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 1_500)));
      else await Promise.race([w.exited, new Promise((r) => setTimeout(r, 5_000))]);
      w.child.kill('SIGKILL');
      await w.exited;
      recoveries.push(...w.events.filter((e) => e.type === 'partition-recovered'));
    }
    await production;
    assert.equal(producing, false);

    // The last writer runs to the end and stops gracefully.
    const last = spawnWriter(env);
    const landed = await waitUntil(
      async () => {
        const rows = await readLanded(stack.s3, t.bucket, t.prefix);
        return rows.length >= expected.length ? rows : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    assert.ok(landed.ok, `${expected.length} landed rows: ${landed.ok || landed.reason}`);
    last.child.kill('SIGTERM');
    assert.equal(await last.exited, 0, `graceful stop exits 0; stderr:\n${last.stderr.join('')}`);
    recoveries.push(...last.events.filter((e) => e.type === 'partition-recovered'));

    // Assess
    assertExactlyOnce(await readLanded(stack.s3, t.bucket, t.prefix), expected);
    const staged = await stack.s3.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({ Bucket: t.bucket, Prefix: `${t.statePrefix}` }),
    );
    assert.ok(
      (staged.Contents ?? []).every((o) => !o.Key!.includes('/pending/')),
      'no staged parts left behind',
    );
    assert.ok(recoveries.length >= 21, `every restart recovered its partitions (${recoveries.length})`);
    const finished = recoveries.filter(
      (e) => e.type === 'partition-recovered' && (e.completedPendingFiles.length > 0 || e.orphansDeleted > 0),
    );
    process.stderr.write(
      `# sigkill: ${recoveries.length} partition recoveries, ${finished.length} finished an interrupted checkpoint or removed staged orphans\n`,
    );
  });
});
