import { After, AfterAll, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { LANDING_TIMEOUT_MS, restoreHealthyPipeline, startPipeline, stopPipeline } from './pipeline.ts';

// A step may wait for a row twice (it lands, then a late duplicate would): longer against a
// deployed stack, whose writer commits on 60 s checkpoints.
setDefaultTimeout(Math.max(120_000, 2 * LANDING_TIMEOUT_MS + 30_000));

// The stack and components start once for the whole run (first start installs moto and the
// Kafka jars, which can take minutes on a cold cache) and stop after the last scenario.
BeforeAll({ timeout: 15 * 60_000 }, async () => {
  await startPipeline();
});

// Fault scenarios leave things broken on purpose; put everything back before the next one.
After({ timeout: 180_000 }, async () => {
  await restoreHealthyPipeline();
});

AfterAll({ timeout: 120_000 }, async () => {
  await stopPipeline();
});
