import { Command, Option } from 'commander';
import { applyLocalEnv, resolveDlqQueueUrl } from './localEnv.ts';
import { parseDuration } from './duration.ts';
import { runUp } from './commands/up.ts';
import { runStack } from './commands/stack.ts';
import { runComponent } from './commands/runComponent.ts';

const program = new Command('chargeback-cdc')
  .description('DynamoDB Streams → stream processor → Kafka → Parquet landing zone, locally and on AWS')
  .showHelpAfterError();

const rollover = () => new Option('--rollover <duration>', 'part-file rollover / checkpoint interval (e.g. 5s, 60s)').default('60s');
const engine = () => new Option('--engine <engine>', 'which writer lands the Parquet files').choices(['embedded', 'flink']).default('embedded');
const backend = () =>
  new Option('--backend <backend>', 'local stack backend (LOCAL_STACK): auto = containers when a Docker engine answers, else native')
    .choices(['auto', 'native', 'containers', 'external'])
    .env('LOCAL_STACK')
    .default('auto');

program
  .command('up')
  .description('bring up the local stack, create resources, and run API + poller + writer in the foreground (Ctrl-C stops everything)')
  .addOption(rollover())
  .addOption(engine())
  .addOption(backend())
  .option('--json', 'print status as JSON lines instead of a live status line')
  .action(async (o) => runUp({ rolloverMs: parseDuration(o.rollover), engine: o.engine, backend: o.backend, json: !!o.json }));

const stack = program.command('stack').description('the local stack alone (moto + Apache Kafka, or LocalStack + Redpanda); stays up until `stack down`');
for (const action of ['up', 'down', 'status'] as const) {
  stack
    .command(action)
    .description({ up: 'start the stack in the background and create resources', down: 'stop the stack', status: 'show each service' }[action])
    .addOption(backend())
    .option('--json', 'machine-readable output')
    .action(async (o) => runStack(action, { backend: o.backend, json: !!o.json }));
}

program
  .command('run')
  .description('run one component in the foreground against a running stack (so it can be killed and restarted on its own)')
  .argument('<component>', 'api | poller | writer')
  .addOption(rollover())
  .addOption(engine())
  .option('--json', 'print events as JSON lines')
  .action(async (component, o) => {
    applyLocalEnv();
    if (component === 'poller') await resolveDlqQueueUrl();
    await runComponent(component, { rolloverMs: parseDuration(o.rollover), engine: o.engine, json: !!o.json });
  });

program.parseAsync().catch((e: Error) => {
  console.error(`chargeback-cdc: ${e.message}`);
  process.exit(1);
});
