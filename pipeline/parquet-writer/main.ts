/**
 * Standalone writer process: `tsx pipeline/parquet-writer/main.ts`.
 *
 * Config from the environment (see writerConfigFromEnv): KAFKA_BROKERS, AWS_ENDPOINT_URL,
 * LANDING_BUCKET, ROLLOVER_MS, … Prints one line per committed file on stdout
 * (`committed s3://<bucket>/<key> rows=<n> bytes=<n> partition=<p> offsets=<a>..<b>`) and
 * everything else on stderr; WRITER_LOG=json prints every event as JSON lines on stdout instead.
 * SIGINT/SIGTERM stop gracefully (open parts are committed); a second signal exits at once —
 * which is as safe as SIGKILL: the next start recovers from the last checkpoint.
 */
import {
  describeWriterEvent,
  printableConfig,
  resolveWriterConfig,
  startWriter,
  writerConfigFromEnv,
  type WriterEvent,
} from './index.ts';

const json = process.env.WRITER_LOG === 'json';
const config = { ...writerConfigFromEnv(), onEvent: print };
const resolved = resolveWriterConfig(config);
if (process.env.VERBOSE) process.stderr.write(`parquet-writer config: ${JSON.stringify(printableConfig(resolved))}\n`);

function print(e: WriterEvent): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(e)}\n`);
    return;
  }
  if (e.type === 'file-committed') {
    process.stdout.write(
      `committed s3://${resolved.bucket}/${e.key} rows=${e.rows} bytes=${e.bytes} partition=${e.partition} offsets=${e.firstOffset}..${e.lastOffset}\n`,
    );
  } else {
    process.stderr.write(`${new Date().toISOString()} ${describeWriterEvent(e)}\n`);
  }
}

let signals = 0;
const writer = await startWriter(config).catch((e: Error) => {
  process.stderr.write(`parquet-writer could not start: ${e.message}\n`);
  process.exit(1);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (++signals > 1) {
      process.stderr.write(`${sig} again: exiting without flushing (the next start recovers from the last checkpoint)\n`);
      process.exit(130);
    }
    process.stderr.write(`${sig}: stopping gracefully (send again to exit at once)\n`);
    void writer.stop();
  });
}
try {
  await writer.done;
  const s = writer.stats();
  process.stderr.write(
    `stopped: ${s.recordsConsumed} records consumed, ${s.rowsLanded} rows in ${s.filesCommitted} files, ${s.dlqRecords} dead-lettered, ${s.duplicatesDropped} duplicates dropped\n`,
  );
  process.exit(0);
} catch (e) {
  process.stderr.write(`parquet-writer failed: ${(e as Error).message}\n`);
  process.exit(1);
}
