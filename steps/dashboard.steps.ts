import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { After, Given, Then } from '@cucumber/cucumber';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  ALARM_KEYS,
  Alarms,
  HEADLINE,
  isMetricName,
  localWidgets,
  prometheusName,
  PROMETHEUS_CONTENT_TYPE,
  type MetricName,
} from '../pipeline/metrics/index.ts';
import { eventually } from '../fixtures/eventually.ts';
import { canonicalAmount } from '../pipeline/schema/index.ts';
import { currentPipeline, LANDING_TIMEOUT_MS } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/**
 * Debian's Chromium driven by playwright-core (no browser download), headless, with a fresh
 * profile per scenario and nothing phoning home.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Browser {
  context: BrowserContext;
  page: Page;
  profile: string;
  rowsBefore: number;
  landedKey?: string;
}
const browsers = new WeakMap<ChargebackWorld, Browser>();
const metricsRead = new WeakMap<ChargebackWorld, Map<string, number>>();

After(async function (this: ChargebackWorld) {
  const b = browsers.get(this);
  if (!b) return;
  browsers.delete(this);
  await b.context.close().catch(() => undefined);
  rmSync(b.profile, { recursive: true, force: true });
});

// ── /metrics ───────────────────────────────────────────────────────────────────

/** Prometheus text → total per metric name (over all label sets); asserts every line is well formed. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${currentPipeline().apiUrl}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), PROMETHEUS_CONTENT_TYPE);
  const totals = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    totals.set(m[1]!, (totals.get(m[1]!) ?? 0) + Number(m[3]));
  }
  return totals;
}

const counter = (name: string): string => {
  assert.ok(isMetricName(name), `${name} is not in the metric catalogue`);
  return prometheusName(name as MetricName);
};

Given('the Prometheus metrics have been read from \\/metrics', async function (this: ChargebackWorld) {
  metricsRead.set(this, await scrape());
});

async function countersGrow(world: ChargebackWorld, names: string[], timeoutMs: number): Promise<void> {
  const before = metricsRead.get(world)!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await scrape();
    const still = names.filter((n) => (now.get(counter(n)) ?? 0) <= (before.get(counter(n)) ?? 0));
    if (still.length === 0) return;
    if (Date.now() > deadline) {
      assert.fail(
        `after ${timeoutMs} ms these counters had not grown in /metrics: ${still.map((n) => `${counter(n)} ${before.get(counter(n)) ?? 0} → ${now.get(counter(n)) ?? 'absent'}`).join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

Then(
  'the API counters {string} and {string} have grown in \\/metrics',
  async function (this: ChargebackWorld, a: string, b: string) {
    // The API process records these in its own registry as it answers: no delay.
    await countersGrow(this, [a, b], 1_000);
  },
);

Then(
  'within the landing time the counters {string}, {string} and {string} have grown in \\/metrics',
  async function (this: ChargebackWorld, a: string, b: string, c: string) {
    // From the poller and writer processes, through their snapshot files (written every second).
    await countersGrow(this, [a, b, c], LANDING_TIMEOUT_MS);
  },
);

// ── the dashboard in a browser ─────────────────────────────────────────────────

const rowsLanded = async (page: Page): Promise<number | undefined> => {
  const v = await page.locator('[data-metric="RowsLanded"]').getAttribute('data-value');
  return v ? Number(v) : undefined;
};

Given('the dashboard is open in headless Chromium', { timeout: 90_000 }, async function (this: ChargebackWorld) {
  const profile = mkdtempSync(join(tmpdir(), 'cdc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  browsers.set(this, { context, page, profile, rowsBefore: 0 });
  const res = await page.goto(`${currentPipeline().apiUrl}/dashboard`);
  assert.equal(res?.status(), 200);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  // The writer process's numbers arrive through its snapshot file: wait for the figure itself.
  const before = await eventually('the rows-landed figure to show a number', 20_000, () => rowsLanded(page));
  browsers.get(this)!.rowsBefore = before;
  assert.deepEqual(errors, [], 'the page threw');
});

Then(
  'it draws every widget of the catalogue, the headline figures and the latest landed files',
  async function (this: ChargebackWorld) {
    const { page } = browsers.get(this)!;
    const titles = await page.locator('.card h3').allTextContents();
    assert.deepEqual(
      titles,
      localWidgets().map((w) => w.title),
    );
    const tiles = await page.locator('.tile').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.metric));
    assert.deepEqual(tiles, [...HEADLINE]);
    // Live numbers: every component is up and the charts have drawn lines.
    for (const c of ['api', 'poller', 'writer'])
      assert.ok(await page.locator(`.chip.up[data-component="${c}"]`).count(), `the ${c} process shows as running`);
    assert.ok((await page.locator('.card svg polyline').count()) > 0, 'no chart has a line');
    await page.waitForSelector('[data-testid="files-list"] tbody tr[data-key]', { timeout: 15_000 });
  },
);

Then('it shows every alarm with its CloudWatch threshold and a state', async function (this: ChargebackWorld) {
  const { page } = browsers.get(this)!;
  const rows = page.locator('[data-testid="alarms"] tbody tr');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.alarm)), [...ALARM_KEYS]);
  for (const state of await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state)))
    assert.match(String(state), /^(OK|ALARM|INSUFFICIENT_DATA)$/);
  const data = (await (await fetch(`${currentPipeline().apiUrl}/dashboard/data`)).json()) as {
    alarms: Array<{ key: keyof typeof Alarms; threshold: number }>;
  };
  for (const a of data.alarms) assert.equal(a.threshold, Alarms[a.key].threshold, `${a.key} threshold`);
});

Then(
  "the dashboard's rows-landed figure grows and its files list shows the part file that holds the chargeback",
  async function (this: ChargebackWorld) {
    const b = browsers.get(this)!;
    const id = this.chargeback!.chargeback_id;
    const [landed] = await currentPipeline().landing.waitForRows((r) => r.chargeback_id === id, 1, LANDING_TIMEOUT_MS);
    assert.ok(landed, `chargeback ${id} did not land within ${LANDING_TIMEOUT_MS} ms`);
    b.landedKey = landed.key;
    await eventually(
      `the rows-landed figure to grow past ${b.rowsBefore}`,
      20_000,
      async () => ((await rowsLanded(b.page)) ?? 0) > b.rowsBefore || undefined,
    );
    await b.page.waitForSelector(`[data-testid="files-list"] tr[data-key="${landed.key}"] td[data-rows]:not([data-rows=""])`, {
      timeout: 20_000,
    });
  },
);

Then('a screenshot of the dashboard is saved as {string}', async function (this: ChargebackWorld, path: string) {
  const { page } = browsers.get(this)!;
  await page.waitForTimeout(2_500); // one more poll, so every chart shows the chargeback
  const png = await page.screenshot({ fullPage: true });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  this.attach(png, 'image/png');
});

Then("clicking that file opens its inspect view with the chargeback's row", async function (this: ChargebackWorld) {
  const { page, landedKey } = browsers.get(this)!;
  await page.click(`[data-testid="files-list"] tr[data-key="${landedKey}"] a`);
  const rows = page.locator('[data-testid="inspect-rows"]');
  await rows.waitFor({ timeout: 15_000 });
  const text = await rows.textContent();
  assert.ok(text?.includes(this.chargeback!.chargeback_id), 'the inspect view lists the chargeback');
  assert.ok(text?.includes(canonicalAmount(this.chargeback!.amount)), 'with its exact amount');
  this.attach(await page.screenshot(), 'image/png');
});
