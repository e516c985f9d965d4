import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { Given, Then, When } from '@cucumber/cucumber';
import { startKafka, stopKafka } from '../localstack/index.ts';
import { STREAM_PROCESSOR_EVENT_SOURCE_MAPPING, UNLIMITED } from '../pipeline/stream-processor/index.ts';
import type { ChargebackWorld } from './support/world.ts';

/** The smallest MaximumRecordAgeInSeconds AWS accepts: the scaled-down form of the old 1 h budget. */
const SMALLEST_RECORD_AGE_S = 60;
const POLLER_LOG = 'reports/logs/poller.log';

type OutageWorld = ChargebackWorld & { outage?: { startedAt: number; logOffset: number; endedAt?: number } };

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
    await sleep(seconds * 1000);
    this.outage.endedAt = Date.now();
    await startKafka();
  },
);

Then('the poller retried the failing batches during the outage and gave none of them up', function (this: OutageWorld) {
  const outage = this.outage;
  assert.ok(outage?.endedAt, 'the outage did not end');
  const lines = readFileSync(POLLER_LOG, 'utf8')
    .slice(outage.logOffset)
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { what?: string; result?: string; at?: string }];
      } catch {
        return []; // not one of the poller's --json lines (e.g. a stack trace)
      }
    });
  const during = lines.filter((l) => l.at && Date.parse(l.at) <= outage.endedAt! + 1_000);
  const failed = during.filter((l) => l.what === 'batch' && (l.result === 'partial' || l.result === 'error'));
  const givenUp = lines.filter((l) => l.what === 'on-failure');
  this.attach(
    `outage ${((outage.endedAt - outage.startedAt) / 1000).toFixed(0)} s; failed invocations during it: ${failed.length}; batches given up: ${givenUp.length}`,
  );
  // The fault took effect: the function failed while Kafka was down (one invocation lasts as long
  // as the producer's own retries, ~40 s here, so a 75 s outage sees one or two), and the changes,
  // filed after the stop, could not leave before the restart: they were older than the smallest
  // record age AWS accepts, and none was given up.
  assert.ok(failed.length >= 1, 'no failed invocation during the outage: the outage did not reach the poller');
  assert.ok(
    outage.endedAt - outage.startedAt > SMALLEST_RECORD_AGE_S * 1000,
    `the outage lasted only ${outage.endedAt - outage.startedAt} ms`,
  );
  assert.deepEqual(givenUp, [], 'the mapping gave records up to the on-failure destination');
});
