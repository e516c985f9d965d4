/**
 * Completeness of an hour: once every partition's committed progress has passed the end of a
 * processing-time hour, `_manifest.json` is written once into the hour's folder, listing its
 * committed files, row count and per-currency count and exact sum. For both writer engines; see
 * README.md.
 */

/**
 * Starts the hour closer (a pass every `pollMs`); `poll: false` for one-shot use.
 *
 * @example
 * const closer = await startHourCloser({ ...closerConfigFromEnv(), onEvent: (e) => console.log(describeCloserEvent(e)) });
 * process.on('SIGTERM', () => void closer.stop());
 * await closer.done;
 *
 * @example
 * const once = await startHourCloser(closerConfigFromEnv(), { poll: false });
 * const { closed, next, waitingFor } = await once.closeReadyHours();
 * await once.stop();
 */
export { startHourCloser, type RunningHourCloser } from './startHourCloser.ts';
export { CloserConfig, closerConfigFromEnv, resolveCloserConfig, type ResolvedCloserConfig } from './CloserConfig.ts';
export { describeCloserEvent, type CloserEvent } from './CloserEvent.ts';
export type { PassResult } from './HourCloser.ts';

/**
 * The marker's name and shape, for readers that want to check an hour.
 *
 * @example
 * const m = JSON.parse(body) as HourManifest; // s3://<bucket>/landing/chargebacks/2026-01-31/23/_manifest.json
 * console.log(m.rows, m.currencies.USD?.amount);
 */
export {
  MANIFEST_NAME,
  MANIFEST_VERSION,
  buildManifest,
  encodeManifest,
  type HourManifest,
  type CurrencyTotal,
} from './HourManifest.ts';

/** Building blocks, for tests and tools. */
export { HourCloser, type HourCloserDeps } from './HourCloser.ts';
export { isComplete, type LogEndSnapshot, type CommittedOffsets, type Completeness } from './LogEndSnapshot.ts';
export type { TopicProgress } from './TopicProgress.ts';
export type { OpenUploads } from './openUploads.ts';
export * from './errors.ts';
