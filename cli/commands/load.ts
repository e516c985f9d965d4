import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALLOWED_TRANSITIONS, type ChargebackStatus } from '../../pipeline/schema/index.ts';
import { progressLine } from '../progressLine.ts';
import { cdcHome } from '../../pipeline/config/index.ts';

const CURRENCIES = [
  ['USD', 2],
  ['EUR', 2],
  ['GBP', 2],
  ['JPY', 0],
  ['KWD', 3],
  ['BRL', 2],
  ['INR', 2],
] as const;
const REASONS = [
  'Product not received',
  'Fraud - card absent',
  'Duplicate processing',
  'Credit not processed',
  'Not as described',
  'Subscription cancelled',
  'Réclamation client — colis non reçu',
];

/** A chargeback the load created; `busy` while a request for it is in flight, so no two race (that would be a 409). */
interface Live {
  id: string;
  status: ChargebackStatus;
  busy: boolean;
}

/**
 * `chargeback-cdc load --count N [--rate R]`: realistic traffic through the API — about 60 %
 * new chargebacks, 30 % legal status changes, 10 % deletes — with a progress bar and a summary.
 * Every request and its outcome is appended to a JSON-lines log (printed at the end).
 */
export async function runLoad(o: {
  count: number;
  rate?: number;
  concurrency: number;
  apiUrl: string;
  json: boolean;
}): Promise<number> {
  const dir = join(cdcHome(), 'load');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const log = createWriteStream(logFile);
  const live: Live[] = [];
  const counts = { create: 0, update: 0, delete: 0, errors: 0 };
  const started = Date.now();
  let issued = 0;
  let done = 0;
  const rnd = (n: number) => Math.floor(Math.random() * n);

  async function one(): Promise<void> {
    const roll = Math.random();
    const idle = live.filter((l) => !l.busy);
    const movable = idle.filter((l) => ALLOWED_TRANSITIONS[l.status].length > 0);
    let op: 'create' | 'update' | 'delete' = 'create';
    if (roll >= 0.6 && roll < 0.9 && movable.length) op = 'update';
    else if (roll >= 0.9 && idle.length) op = 'delete';
    let res: Response;
    let id: string | undefined;
    if (op === 'create') {
      const [currency, digits] = CURRENCIES[rnd(CURRENCIES.length)]!;
      const int = 1 + rnd(5000);
      const amount = digits ? `${int}.${String(rnd(10 ** digits)).padStart(digits, '0')}` : String(int * 100);
      res = await post('/chargebacks', 'POST', {
        merchant_id: `merch_${String(rnd(500)).padStart(4, '0')}`,
        amount,
        currency,
        reason: REASONS[rnd(REASONS.length)],
      });
      if (res.status === 201) {
        id = ((await res.json()) as { chargeback_id: string }).chargeback_id;
        live.push({ id, status: 'RECEIVED', busy: false });
      }
    } else if (op === 'update') {
      const target = movable[rnd(movable.length)]!;
      const next = ALLOWED_TRANSITIONS[target.status][rnd(ALLOWED_TRANSITIONS[target.status].length)]!;
      id = target.id;
      target.busy = true;
      res = await post(`/chargebacks/${id}`, 'PATCH', { status: next });
      if (res.ok) target.status = next;
      target.busy = false;
    } else {
      const target = idle[rnd(idle.length)]!;
      id = target.id;
      live.splice(live.indexOf(target), 1);
      res = await post(`/chargebacks/${id}`, 'DELETE');
    }
    counts[op]++;
    if (res.status >= 400) counts.errors++;
    log.write(`${JSON.stringify({ at: new Date().toISOString(), op, id, status: res.status })}\n`);
  }

  function post(path: string, method: string, body?: unknown): Promise<Response> {
    return fetch(`${o.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  const line = progressLine();
  const bar = setInterval(() => progress(), 250);
  const progress = (last = false) => {
    if (o.json) return;
    const pct = done / o.count;
    const width = 30;
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    const text = `[${'#'.repeat(Math.round(pct * width)).padEnd(width, '.')}] ${done}/${o.count} ${rate.toFixed(0)} req/s, ${counts.errors} errors`;
    if (last) line.finish(text);
    else line.update(text);
  };
  const worker = async () => {
    while (issued < o.count) {
      const n = issued++;
      if (o.rate) {
        const due = started + (n * 1000) / o.rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      try {
        await one();
      } catch (e) {
        counts.errors++;
        log.write(`${JSON.stringify({ at: new Date().toISOString(), error: (e as Error).message })}\n`);
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  clearInterval(bar);
  progress(true);
  await new Promise((r) => log.end(r));
  const seconds = (Date.now() - started) / 1000;
  const summary = {
    requests: done,
    ...counts,
    seconds: Number(seconds.toFixed(1)),
    perSecond: Number((done / seconds).toFixed(1)),
    log: logFile,
  };
  if (o.json) console.log(JSON.stringify(summary));
  else
    console.log(
      `\n${done} requests in ${summary.seconds} s (${summary.perSecond}/s): ${counts.create} creates, ${counts.update} status changes, ${counts.delete} deletes, ${counts.errors} errors · log ${logFile}`,
    );
  return counts.errors ? 1 : 0;
}
