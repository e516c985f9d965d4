import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { Given, Then, When } from '@cucumber/cucumber';
import { startKafka, stopKafka } from '../localstack/index.ts';
import { STREAM_PROCESSOR_EVENT_SOURCE_MAPPING, UNLIMITED } from '../pipeline/stream-processor/index.ts';
import type { ChargebackWorld } from './support/world.ts';

/** The smallest MaximumRecordAgeInSeconds AWS accepts: the scaled-down form of the old 1 h budget. */
const SMALLEST_RECORD_AGE_S = 60;
const POLLER_LOG = 'reports/logs/poller.log';

type OutageWorld = ChargebackWorld & {
  outage?: { startedAt: number; logOffset: number; filedBy?: number; endedAt?: number };
};
/** The kafkajs client id of the stream processor's producer (pipeline/stream-processor/handler.ts), as it appears in the poller's log. */
const STREAM_PROCESSOR_CLIENT = 'chargeback-stream-processor';

/** A JSON line of the poller's log: its own --json events, or a kafkajs log entry of a client inside it. */
interface PollerLogLine {
  what?: string;
  result?: string;
  at?: string;
  logger?: string;
  clientId?: string;
  message?: string;
  timestamp?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logSize = () => {
  try {
    return statSync(POLLER_LOG).size;
  } catch {
    return 0;
  }
};

Given(
  'the poller runs the deployed event source mapping definition, with unlimited retries and record age',
  function (this: OutageWorld) {
    // `run poller` (cli/components/pollerComponent.ts) starts from this definition, and so does
    // the deployed mapping (infra/stacks/StreamingStack.test.ts holds the synthesized one equal to it).
    assert.equal(STREAM_PROCESSOR_EVENT_SOURCE_MAPPING.maximumRetryAttempts, UNLIMITED);
    assert.equal(STREAM_PROCESSOR_EVENT_SOURCE_MAPPING.maximumRecordAgeSeconds, UNLIMITED);
    this.attach(JSON.stringify(STREAM_PROCESSOR_EVENT_SOURCE_MAPPING, null, 2), 'application/json');
  },
);

When('the Kafka broker is stopped', async function (this: OutageWorld) {
  this.outage = { startedAt: Date.now(), logOffset: logSize() };
  await stopKafka();
});

When(
  'the Kafka broker stays down until those changes are {int} seconds old, and is started again',
  { timeout: 240_000 },
  async function (this: OutageWorld, seconds: number) {
    assert.ok(this.outage, 'the broker was not stopped by this scenario');
    assert.ok(seconds > SMALLEST_RECORD_AGE_S, `the outage must outlast ${SMALLEST_RECORD_AGE_S} s to prove anything`);
    // The changes were filed after the stop, so waiting from now makes the youngest of them this old.
    this.outage.filedBy = Date.now();
    await sleep(seconds * 1000);
    this.outage.endedAt = Date.now();
    await startKafka();
  },
);

Then('the poller retried the failing batches during the outage and gave none of them up', function (this: OutageWorld) {
  const outage = this.outage;
  assert.ok(outage?.endedAt && outage.filedBy, 'the outage did not end');
  const lines = readFileSync(POLLER_LOG, 'utf8')
    .slice(outage.logOffset)
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as PollerLogLine];
      } catch {
        return []; // not one of the poller's --json lines (e.g. a stack trace)
      }
    });
  const during = lines.filter((l) => l.at && Date.parse(l.at) <= outage.endedAt! + 1_000);
  const failed = during.filter((l) => l.what === 'batch' && (l.result === 'partial' || l.result === 'error'));
  const givenUp = lines.filter((l) => l.what === 'on-failure');
  // Publish attempts of the stream processor refused by the stopped broker, logged by kafkajs after
  // the changes were filed: only the handler publishing those changes makes them (an idle producer
  // logs its lost connection once, at the stop). The in-flight invocation can outlive the outage and
  // succeed after the restart, so a failed invocation inside the window is not guaranteed; these are.
  const refused = lines.filter(
    (l) =>
      l.logger === 'kafkajs' &&
      l.clientId === STREAM_PROCESSOR_CLIENT &&
      /ECONNREFUSED|Connection error/.test(l.message ?? '') &&
      l.timestamp !== undefined &&
      Date.parse(l.timestamp) > outage.filedBy! &&
      Date.parse(l.timestamp) < outage.endedAt!,
  );
  this.attach(
    `outage ${((outage.endedAt - outage.startedAt) / 1000).toFixed(0)} s; publish attempts refused after the changes were filed: ${refused.length}; failed invocations during it: ${failed.length}; batches given up: ${givenUp.length}`,
  );
  // The fault took effect: the stream processor tried to publish the changes filed after the stop
  // and the broker refused it; the changes could not leave before the restart, when they were older
  // than the smallest record age AWS accepts, and none was given up.
  assert.ok(refused.length >= 1, 'no refused publish attempt after the changes were filed: the outage did not reach the poller');
  assert.ok(
    outage.endedAt - outage.startedAt > SMALLEST_RECORD_AGE_S * 1000,
    `the outage lasted only ${outage.endedAt - outage.startedAt} ms`,
  );
  assert.deepEqual(givenUp, [], 'the mapping gave records up to the on-failure destination');
});
