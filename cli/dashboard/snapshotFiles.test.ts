import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsRegistry } from '../../pipeline/metrics/index.ts';
import { metricsRunDir, publishSnapshots, readLiveSnapshots } from './snapshotFiles.ts';

const snap = (pid: number, at: number) =>
  JSON.stringify({
    version: 1,
    pid,
    components: ['writer'],
    at,
    series: [{ name: 'RowsLanded', dims: {}, kind: 'counter', value: 1 }],
  });

test('a component publishes <component>-<pid>.json and removes it on a clean stop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdc-metrics-'));
  const registry = new MetricsRegistry();
  registry.components.add('writer');
  registry.add('RowsLanded', 2);
  const p = publishSnapshots({ registry, component: 'writer', dir, intervalMs: 20 });
  assert.equal(p.file, join(dir, `writer-${process.pid}.json`));
  const [s] = await readLiveSnapshots({ dir });
  assert.deepEqual([s!.pid, s!.components, s!.series[0]!.value], [process.pid, ['writer'], 2]);
  registry.add('RowsLanded', 3);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal((await readLiveSnapshots({ dir }))[0]!.series[0]!.value, 5);
  assert.deepEqual(await readLiveSnapshots({ dir, excludePid: process.pid }), []);
  await p.stop();
  assert.deepEqual(readdirSync(dir), []);
});

test('snapshots of dead processes are deleted and stale ones ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdc-metrics-'));
  const now = Date.now();
  writeFileSync(join(dir, 'writer-111.json'), snap(111, now));
  writeFileSync(join(dir, 'poller-222.json'), snap(222, now - 60_000));
  writeFileSync(join(dir, 'api-333.json'), snap(333, now));
  writeFileSync(join(dir, 'notes.txt'), 'not a snapshot');
  const live = await readLiveSnapshots({ dir, now, alive: (pid) => pid !== 111 });
  assert.deepEqual(
    live.map((s) => s.pid),
    [333],
  );
  assert.ok(!existsSync(join(dir, 'writer-111.json')), 'the dead process snapshot is removed');
  assert.ok(existsSync(join(dir, 'poller-222.json')), 'a stale snapshot of a live pid is only ignored');
});

test('a missing directory means no snapshots; the directory follows CHARGEBACK_CDC_HOME', async () => {
  assert.deepEqual(await readLiveSnapshots({ dir: join(tmpdir(), 'cdc-metrics-none', String(Date.now())) }), []);
  assert.equal(metricsRunDir({ CHARGEBACK_CDC_HOME: '/x' }), '/x/run/metrics');
});
