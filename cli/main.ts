import { Command, Option } from 'commander';
import { parseDuration } from './duration.ts';
import { BENCH_STAGES, parseBenchStages, runBench } from '../bench/index.ts';

// Each command loads its modules when it runs (`await import` in its action): a query or a reconcile
// should not pay for the stack, the writer and the poller, and `--help` pays for none of them.
const applyLocalEnv = async () => (await import('./localEnv.ts')).applyLocalEnv();

const program = new Command('chargeback-cdc')
  .description('DynamoDB Streams → stream processor → Kafka → Parquet landing zone, locally and on AWS')
  .showHelpAfterError();

const rollover = () =>
  new Option('--rollover <duration>', 'part-file rollover / checkpoint interval (e.g. 5s, 60s)').default('60s');
const engine = () =>
  new Option('--engine <engine>', 'which writer lands the Parquet files').choices(['embedded', 'flink']).default('embedded');
const backend = () =>
  new Option(
    '--backend <backend>',
    'local stack backend (LOCAL_STACK): auto = containers when a Docker engine answers, else native',
  )
    .choices(['auto', 'native', 'containers', 'external'])
    .env('LOCAL_STACK')
    .default('auto');

program
  .command('up')
  .description(
    'bring up the local stack, create resources, and run API + poller + writer in the foreground (Ctrl-C stops everything)',
  )
  .addOption(rollover())
  .addOption(engine())
  .addOption(backend())
  .option('--json', 'print status as JSON lines instead of a live status line')
  .action(async (o) =>
    (await import('./commands/up.ts')).runUp({
      rolloverMs: parseDuration(o.rollover),
      engine: o.engine,
      backend: o.backend,
      json: !!o.json,
    }),
  );

const stack = program
  .command('stack')
  .description('the local stack alone (moto + Apache Kafka, or LocalStack + Redpanda); stays up until `stack down`');
const stackActions = {
  up: 'start the stack in the background and create resources; Kafka keeps its data (a crashed broker restarts on it)',
  down: "stop the stack; Kafka's data goes with moto's in-memory state",
  status: 'show each service',
  reset: 're-format Kafka storage and start moto empty, then create resources (same as `stack up --fresh`)',
} as const;
for (const action of Object.keys(stackActions) as Array<keyof typeof stackActions>) {
  const sub = stack
    .command(action)
    .description(stackActions[action])
    .addOption(backend())
    .option('--json', 'machine-readable output');
  if (action === 'up') sub.option('--fresh', 'start every service empty: re-format Kafka storage, clear moto (as `stack reset`)');
  sub.action(async (o) =>
    (await import('./commands/stack.ts')).runStack(action, { backend: o.backend, json: !!o.json, fresh: !!o.fresh }),
  );
}

program
  .command('run')
  .description('run one component in the foreground against a running stack (so it can be killed and restarted on its own)')
  .argument('<component>', 'api | poller | writer | closer (the hour closer: CLOSER_POLL_MS, CLOSER_GRACE_MS)')
  .addOption(rollover())
  .addOption(engine())
  .option('--json', 'print events as JSON lines')
  .action(async (component, o) => {
    await applyLocalEnv();
    if (component === 'poller') await (await import('./localEnv.ts')).resolveDlqQueueUrl();
    await (await import('./commands/runComponent.ts')).runComponent(component, {
      rolloverMs: parseDuration(o.rollover),
      engine: o.engine,
      json: !!o.json,
    });
  });

program
  .command('load')
  .description('drive realistic chargeback traffic through the API (creates, status changes, deletes) with a progress bar')
  .requiredOption('--count <n>', 'number of requests', (v) => positiveInt('--count', v))
  .option('--rate <r>', 'requests per second (default: as fast as the API answers)', (v) => positiveInt('--rate', v))
  .option('--concurrency <c>', 'requests in flight', (v) => positiveInt('--concurrency', v), 8)
  .option('--api <url>', 'API base URL', `http://127.0.0.1:${process.env.API_PORT ?? 3000}`)
  .option('--json', 'print the summary as JSON')
  .action(async (o) => {
    process.exitCode = await (await import('./commands/load.ts')).runLoad({
      count: o.count,
      rate: o.rate,
      concurrency: o.concurrency,
      apiUrl: o.api,
      json: !!o.json,
    });
  });

program
  .command('reconcile')
  .description(
    'compare every DynamoDB change (from the table stream) with the landed rows; exit 2 on any lost, duplicated or mismatched record',
  )
  .addOption(
    new Option(
      '--by <grouping>',
      'money figures instead of the per-change report: count and exact amount sum per UTC hour of event_time, currency and event type (hour), or count and latest amount per chargeback_id (chargeback); exit 2 on any difference',
    ).choices(['hour', 'chargeback']),
  )
  .option('--json', 'print the report as JSON')
  .addHelpText(
    'after',
    `
--by hour: a change belongs to the UTC hour of its event_time (the stream's ApproximateCreationDateTime)
on BOTH sides — not to the landing folder it sits in, which is the writer's processing-time bucket.
Sums are exact decimals kept per event type: every change carries the chargeback's full amount (a
REMOVE the old image's), so INSERT, MODIFY and REMOVE are counted and summed separately, never netted.
Landed figures come from reading the committed Parquet files, not from the writer's counters.`,
  )
  .action(async (o) => {
    await applyLocalEnv();
    process.exitCode = await (await import('./commands/reconcile.ts')).runReconcile({ json: !!o.json, by: o.by });
  });

program
  .command('handover')
  .description(
    'move the landing position from one writer engine to the other once it is stopped (SIGTERM), so a switch lands every change exactly once (pipeline/parquet-writer/README.md, "Switching engines"); refused while either engine runs',
  )
  .addOption(
    new Option('--from <engine>', 'the engine that ran until now (stop it first)')
      .choices(['embedded', 'flink'])
      .makeOptionMandatory(),
  )
  .addOption(new Option('--to <engine>', 'the engine to start next').choices(['embedded', 'flink']).makeOptionMandatory())
  .option('--json', 'print the hand-over as JSON')
  .action(async (o) => {
    await applyLocalEnv();
    process.exitCode = await (await import('./commands/handover.ts')).runHandover({ from: o.from, to: o.to, json: !!o.json });
  });

program
  .command('inspect')
  .description('schema (physical and logical types) and rows of Parquet files')
  .argument('<target>', 'a local file, s3://bucket/key.parquet, or s3://bucket/prefix/')
  .option('--limit <n>', 'rows to show per file', (v) => positiveInt('--limit', v), 20)
  .option('--json', 'one JSON object per file')
  .action(async (target, o) => {
    await applyLocalEnv();
    await (await import('./commands/inspect.ts')).runInspect(target, { json: !!o.json, limit: o.limit });
  });

program
  .command('query')
  .description(
    "SQL (DuckDB) over the chargebacks: each UTC day from its consolidated copy once that is complete, else from the committed files of the landing zone, never both; views chargeback_changes (every change), chargeback_changes_all (the same rows, Athena's name for them) and chargebacks_current (latest per chargeback, removed ones excluded)",
  )
  .argument('<sql>', 'one SQL statement, e.g. "SELECT status, count(*) FROM chargebacks_current GROUP BY status"')
  .option(
    '--from <s3uri>',
    's3://bucket/ (or its landing root) to read by --source; any other s3://bucket/prefix/ (a day, an hour) is read as it is from the landing zone (default: s3://$LANDING_BUCKET/)',
  )
  .addOption(
    new Option(
      '--source <source>',
      'auto: a day whose consolidated/chargebacks/<day>/_manifest.json says complete is read from the files it lists, every other day from the landing zone; landing: the raw landing zone only; consolidated: only the consolidated days',
    )
      .choices(['auto', 'landing', 'consolidated'])
      .default('auto'),
  )
  .addOption(new Option('--json', 'one JSON array of row objects (amounts as exact decimal strings)').conflicts('csv'))
  .option('--csv', 'RFC 4180 CSV with a header line')
  .addHelpText('after', '\nThe read rule: pipeline/query/README.md, "Which copy of a day is read".')
  .action(async (sql, o) => {
    await applyLocalEnv();
    await (await import('./commands/query.ts')).runQuery(sql, {
      from: o.from,
      source: o.source,
      format: o.json ? 'json' : o.csv ? 'csv' : 'table',
    });
  });

program
  .command('close-hours')
  .description(
    "one pass of the hour closer: write landing/chargebacks/YYYY-MM-DD/HH/_manifest.json for every hour complete now (every partition of the writer group committed past the topic's log end read after the hour ended), then exit; `run closer` does this every poll",
  )
  .option(
    '--grace <duration>',
    'how long after its end an hour is considered, as writer clocks may lag this much (default: CLOSER_GRACE_MS or 30s)',
  )
  .option(
    '--now <iso-time>',
    'judge the hours by this clock instead of the system clock (tests); a marker is only as true as this clock',
  )
  .option('--json', 'events as JSON lines on stderr, the result as one JSON object on stdout')
  .action(async (o) => {
    await applyLocalEnv();
    const nowMs = o.now === undefined ? undefined : Date.parse(o.now);
    if (nowMs !== undefined && Number.isNaN(nowMs))
      throw new Error(`--now must be an ISO time such as 2026-01-31T23:00:30Z, got ${JSON.stringify(o.now)}`);
    process.exitCode = await (await import('./commands/closeHours.ts')).runCloseHours({
      json: !!o.json,
      ...(o.grace === undefined ? {} : { graceMs: parseDuration(o.grace) }),
      ...(nowMs === undefined ? {} : { nowMs }),
    });
  });

program
  .command('consolidate')
  .description(
    'consolidate one UTC day of the landing zone into consolidated/chargebacks/YYYY-MM-DD/ (sorted by chargeback_id, then sequence number; part files of a target size; the day as one CSV, chargebacks-YYYY-MM-DD-<run>.csv: RFC 4180, UTF-8, CRLF, header row, amounts as exact decimals at scale 4, UTC ISO 8601 timestamps, null as an empty field; _manifest.json written last, the only thing readers trust; then, for a complete day, the Athena symlink consolidated/chargebacks/_athena/day=YYYY-MM-DD/symlink.txt, removed for a forced one); refuses (exit 3) until all 24 hours have a completeness marker; a rerun changes nothing',
  )
  .requiredOption('--day <YYYY-MM-DD>', 'the UTC day to consolidate')
  .option('--force', 'consolidate even if some hours have no _manifest.json yet (the manifest then says complete: false)')
  .option(
    '--target-size <size>',
    'size at which a consolidated part file rolls, e.g. 128MiB, 64MB, 1000000 (default: CONSOLIDATION_TARGET_BYTES or 128MiB)',
  )
  .option(
    '--csv <mode>',
    'what the CSV holds: changes (every landed change, the default) or state (the last change of each chargeback at the end of the day, removed ones left out); default: CONSOLIDATION_CSV or changes',
  )
  .option('--json', 'print the result and the manifest as one JSON object')
  .action(async (o) => {
    await applyLocalEnv();
    process.exitCode = await (await import('./commands/consolidate.ts')).runConsolidate({
      day: o.day,
      force: !!o.force,
      json: !!o.json,
      ...(o.targetSize === undefined ? {} : { targetSize: o.targetSize }),
      ...(o.csv === undefined ? {} : { csv: o.csv }),
    });
  });

program
  .command('bench')
  .description(
    'benchmarks (also `npm run bench`): every stage against its ceiling and the real Flink job, side by side in one run',
  )
  .option('--quick', 'a few minutes, for CI-like checks (default: the full run)')
  .option('--json', 'print one JSON summary object as the last line of stdout')
  .option(
    '--only <stages>',
    `comma list of stages to run: ${BENCH_STAGES.join(', ')} (default: all; engines gives the encode ceiling)`,
    parseBenchStages,
  )
  .action(async (o) => {
    await applyLocalEnv();
    process.exitCode = await runBench({ quick: !!o.quick, json: !!o.json, ...(o.only ? { only: o.only } : {}) });
  });

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive whole number, got ${JSON.stringify(v)}`);
  return n;
}

program.parseAsync().catch((e: Error) => {
  console.error(`chargeback-cdc: ${e.message}`);
  process.exit(1);
});
