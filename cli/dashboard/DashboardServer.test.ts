import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveApiHandler } from '../../pipeline/api/index.ts';
import { MetricsRegistry, snapshotOf, ALARM_KEYS, localWidgets } from '../../pipeline/metrics/index.ts';
import { startDashboard } from './DashboardServer.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test walks the JSON the browser receives, whatever its shape
type DashboardData = Record<string, any>;

/** The dashboard routes behind the API's HTTP adapter, with a registry and one other "process" snapshot; no stack needed. */
async function serve() {
  const runDir = mkdtempSync(join(tmpdir(), 'cdc-dash-'));
  const registry = new MetricsRegistry();
  registry.components.add('api');
  registry.add('ApiRequests', 4, { service: 'chargeback-api' });
  const writer = new MetricsRegistry();
  writer.components.add('writer');
  writer.set('RowsLanded', 7);
  // Another live process: the parent of this test process stands in for the writer's pid.
  writeFileSync(join(runDir, `writer-${process.ppid}.json`), JSON.stringify(snapshotOf(writer, Date.now(), process.ppid)));
  const dashboard = startDashboard({ registry, runDir, sampleMs: 50, probe: false, env: {} });
  const server = await serveApiHandler(async () => ({ statusCode: 418, body: '{}' }), { port: 0, extra: dashboard.routes });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    stop: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await dashboard.stop();
    },
  };
}

test('/metrics merges this process with the live snapshots of the others, in Prometheus text', async () => {
  const s = await serve();
  try {
    const res = await fetch(`${s.base}/metrics`);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    assert.match(text, /^chargeback_cdc_api_requests_total\{stage="api",service="chargeback-api"\} 4$/m);
    assert.match(text, /^chargeback_cdc_rows_landed_total\{stage="writer"\} 7$/m);
  } finally {
    await s.stop();
  }
});

test('/dashboard serves the page and its script; /dashboard/data the layout, history, components and alarms', async () => {
  const s = await serve();
  try {
    const page = await fetch(`${s.base}/dashboard`);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.match(await page.text(), /<script type="module" src="\/dashboard\/dashboard.js">/);
    assert.match((await fetch(`${s.base}/dashboard/dashboard.js`)).headers.get('content-type')!, /^text\/javascript/);
    await new Promise((r) => setTimeout(r, 200));
    const data = (await (await fetch(`${s.base}/dashboard/data`)).json()) as DashboardData;
    assert.deepEqual(
      data.layout.widgets.map((w: { title: string }) => w.title),
      localWidgets().map((w) => w.title),
    );
    assert.ok(data.points.length >= 1);
    const last = data.points[data.points.length - 1];
    assert.equal(last.v.RowsLanded, 7);
    assert.equal(last.v.WriterDowntime, 0, 'a live writer snapshot means no downtime');
    assert.deepEqual(data.components.flatMap((c: { components: string[] }) => c.components).sort(), ['api', 'writer']);
    assert.deepEqual(
      data.alarms.map((a: { key: string }) => a.key),
      ALARM_KEYS,
    );
    const since = (await (await fetch(`${s.base}/dashboard/data?since=${last.t}`)).json()) as DashboardData;
    assert.equal(since.layout, undefined, 'the layout is sent once');
    assert.ok(since.points.every((p: { t: number }) => p.t > last.t));
  } finally {
    await s.stop();
  }
});

test('other paths fall through to the API; writes are refused; a file outside the landing zone is not read', async () => {
  const s = await serve();
  try {
    assert.equal((await fetch(`${s.base}/chargebacks`)).status, 418);
    assert.equal((await fetch(`${s.base}/metrics`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${s.base}/dashboard/nope`)).status, 404);
    const file = await fetch(`${s.base}/dashboard/file?key=${encodeURIComponent('_state/progress.json')}`);
    assert.equal(file.status, 404);
    assert.match(((await file.json()) as { message: string }).message, /not a committed part file/);
  } finally {
    await s.stop();
  }
});

test('the page script is valid JavaScript', () => {
  execFileSync(process.execPath, ['--check', fileURLToPath(new URL('./dashboard.js', import.meta.url))]);
});
