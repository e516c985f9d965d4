import { AfterAll, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { startPipeline, stopPipeline } from './pipeline.ts';

setDefaultTimeout(120_000);

// The stack and components start once for the whole run (first start installs moto and the
// Kafka jars, which can take minutes on a cold cache) and stop after the last scenario.
BeforeAll({ timeout: 15 * 60_000 }, async function () {
  await startPipeline();
});

AfterAll({ timeout: 120_000 }, async function () {
  await stopPipeline();
});
