import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Then, When } from '@cucumber/cucumber';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { HandOverRefusedError, type PartitionHandOver } from '../pipeline/kafka/handOverOffsets.ts';
import { listLandedFiles, parsePartFileName } from '../pipeline/parquet-writer/index.ts';
import { handOver, type HandOverReport } from '../cli/commands/handover.ts';
import { runLoad } from '../cli/commands/load.ts';
import { ComponentProcess } from './support/ComponentProcess.ts';
import { dumpWithPyarrow } from './support/independentReader.ts';
import { currentPipeline, TEST_ROLLOVER } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Flink MiniCluster starts in well under a minute on an idle machine; a busy 2-core one needs more. */
const FLINK_START_TIMEOUT_MS = 240_000;
/** SIGTERM → stop-with-savepoint → last part files committed → exit; LocalRun gives the savepoint 60 s. */
const FLINK_STOP_TIMEOUT_MS = 120_000;
/** Rows the Flink job must land before its turn ends, so the switch back happens with its files in place. */
const FLINK_TURN_ROWS = 20;

interface Switches {
  /** The refusal while the embedded writer still ran. */
  refusedWhileRunning: string | undefined;
  /** Embedded → Flink, then Flink → embedded. */
  toFlink: HandOverReport;
  toEmbedded: HandOverReport;
  timeline: string[];
}

type HandOverWorld = ChargebackWorld & { switches?: Switches };

/** The handover, as `chargeback-cdc handover` runs it; a refusal because the group still lists the stopped writer is retried briefly. */
async function handOverWhenStopped(from: 'embedded' | 'flink', to: 'embedded' | 'flink'): Promise<HandOverReport> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await handOver({ from, to, json: true });
    } catch (e) {
      // A writer that left the group cleanly is gone at once; one that did not expires with its session.
      if (!(e instanceof HandOverRefusedError && /active member/.test(e.message)) || Date.now() > deadline) throw e;
      await sleep(1_000);
    }
  }
}

const offsetsOf = (partitions: PartitionHandOver[]) => new Map(partitions.map((p) => [p.partition, BigInt(p.after ?? '0')]));

const isEmbeddedPart = (key: string) => parsePartFileName(key.slice(key.lastIndexOf('/') + 1)) !== undefined;

When(
  '{int} chargeback requests are sent at {int} per second while the writer is switched from embedded to Flink and back with {string}',
  { timeout: 15 * 60_000 },
  async function (this: HandOverWorld, count: number, rate: number, command: string) {
    assert.match(command, /^chargeback-cdc handover/);
    const p = currentPipeline();
    const started = Date.now();
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);
    let loadDone = false;
    const loading = runLoad({ count, rate, concurrency: 4, apiUrl: p.apiUrl, json: true }).finally(() => {
      loadDone = true;
      mark('load finished');
    });
    const flink = new ComponentProcess(
      'writer-flink-handover',
      ['writer', '--engine', 'flink', '--rollover', TEST_ROLLOVER, '--json'],
      /"what":"started"/,
      p.writerEnv,
    );
    const stopFlink = async () => {
      if (!flink.running || !flink.pid) return;
      // Not ComponentProcess.stop(): its 20 s grace would SIGKILL a savepoint in progress.
      process.kill(flink.pid, 'SIGTERM');
      const deadline = Date.now() + FLINK_STOP_TIMEOUT_MS;
      while (flink.running && Date.now() < deadline) await sleep(250);
      assert.ok(!flink.running, `the Flink job did not stop within ${FLINK_STOP_TIMEOUT_MS} ms:\n${flink.recentOutput()}`);
    };
    // If a step fails half-way, the After hook stops the Flink job; the embedded writer is started again there.
    p.restoreWriter = stopFlink;

    await sleep(8_000); // the embedded writer's turn: a few 2 s checkpoints
    let refusedWhileRunning: string | undefined;
    try {
      await handOver({ from: 'embedded', to: 'flink', json: true });
    } catch (e) {
      if (!(e instanceof HandOverRefusedError)) throw e;
      refusedWhileRunning = e.message;
    }
    mark('embedded: SIGTERM');
    await p.writer.stop();
    const toFlink = await handOverWhenStopped('embedded', 'flink');
    mark(`handover embedded → flink: ${toFlink.partitions.map((x) => `p${x.partition} ${x.before}→${x.after}`).join(', ')}`);
    await flink.start(FLINK_START_TIMEOUT_MS);
    mark('flink: RUNNING');

    const flinkRows = async () => (await p.landing.rows()).filter((r) => !isEmbeddedPart(r.key)).length;
    const turnDeadline = Date.now() + 120_000;
    while ((await flinkRows()) < FLINK_TURN_ROWS && Date.now() < turnDeadline) await sleep(1_000);
    mark(`flink: ${await flinkRows()} rows landed; SIGTERM`);
    await stopFlink();
    assert.match(flink.recentOutput(), /stopped with savepoint/, 'the Flink job did not stop with a savepoint');
    const toEmbedded = await handOverWhenStopped('flink', 'embedded');
    mark(`handover flink → embedded: ${toEmbedded.partitions.map((x) => `p${x.partition} ${x.before}→${x.after}`).join(', ')}`);
    await p.writer.start();
    mark(`embedded: started${loadDone ? ' (after the load had finished)' : ''}`);

    assert.equal(await loading, 0, 'the load itself had errors');
    this.switches = { refusedWhileRunning, toFlink, toEmbedded, timeline };
    this.attach(timeline.join('\n'));
  },
);

Then('the handover was refused while the embedded writer was still running', function (this: HandOverWorld) {
  const s = this.switches;
  assert.ok(s, 'no switch happened');
  assert.match(
    s.refusedWhileRunning ?? '(not refused)',
    /^handover refused: consumer group \S+ \(the embedded writer.*active member/,
  );
});

Then('each engine landed rows during its own turn and none outside it', async function (this: HandOverWorld) {
  const s = this.switches;
  assert.ok(s, 'no switch happened');
  // Flink's turn on partition p is [toFlink, toEmbedded): the embedded writer's part names carry their offsets.
  const flinkFrom = offsetsOf(s.toFlink.partitions);
  const flinkUntil = offsetsOf(s.toEmbedded.partitions);
  const rowsByFile = new Map<string, number>();
  for (const r of await currentPipeline().landing.rows()) rowsByFile.set(r.key, (rowsByFile.get(r.key) ?? 0) + 1);
  const turns = { embeddedBefore: 0, flink: 0, embeddedAfter: 0 };
  const inFlinkTurn: string[] = [];
  for (const [key, rows] of rowsByFile) {
    const name = parsePartFileName(key.slice(key.lastIndexOf('/') + 1));
    if (!name) {
      turns.flink += rows;
      continue;
    }
    const from = flinkFrom.get(name.partition) ?? 0n;
    const until = flinkUntil.get(name.partition) ?? 0n;
    if (name.lastOffset < from) turns.embeddedBefore += rows;
    else if (name.firstOffset >= until) turns.embeddedAfter += rows;
    else inFlinkTurn.push(`${key} (partition ${name.partition}, Flink's turn ${from}..${until - 1n})`);
  }
  this.attach(`rows landed per turn: ${JSON.stringify(turns)}`);
  assert.deepEqual(inFlinkTurn, [], "the embedded writer landed offsets of the Flink job's turn");
  assert.ok(turns.embeddedBefore > 0, 'the embedded writer landed nothing before the first switch');
  assert.ok(turns.flink > 0, 'the Flink job landed nothing during its turn');
  assert.ok(turns.embeddedAfter > 0, 'the embedded writer landed nothing after the switch back');
});

Then('pyarrow finds no event_id in more than one landed row', async function (this: ChargebackWorld) {
  const bucket = currentPipeline().landing.bucket;
  const s3 = new S3Client(awsClientConfigFromEnv());
  const dir = mkdtempSync(join(tmpdir(), 'handover-landed-'));
  try {
    const paths: string[] = [];
    for (const [i, f] of (await listLandedFiles(s3, bucket, 'landing/chargebacks/')).entries()) {
      const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key }));
      const path = join(dir, `${i}.parquet`);
      writeFileSync(path, await obj.Body!.transformToByteArray());
      paths.push(path);
    }
    const seen = new Map<string, number>();
    let rows = 0;
    for (const file of await dumpWithPyarrow(paths)) {
      for (const row of file.rows) {
        rows++;
        const id = String(row.event_id);
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    const twice = [...seen].filter(([, n]) => n > 1);
    this.attach(`pyarrow read ${rows} rows in ${paths.length} files, ${seen.size} distinct event_ids`);
    assert.ok(rows > 0, 'pyarrow read no rows');
    assert.deepEqual(twice.slice(0, 20), [], `${twice.length} event_id(s) landed more than once`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    s3.destroy();
  }
});
