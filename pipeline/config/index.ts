/**
 * Shared by every component's config: reading settings from the environment, and validating them.
 *
 * @example
 * const { str, num } = envReader(process.env, (m) => new WriterConfigError(m));
 * const input = definedOnly({ bucket: str('LANDING_BUCKET'), rolloverMs: num('ROLLOVER_MS') });
 * const config = parseConfig(WriterConfig, input, 'parquet-writer', (m) => new WriterConfigError(m));
 */
export { definedOnly, envReader, type EnvReader } from './envReader.ts';
export { parseConfig } from './parseConfig.ts';
export { cdcHome } from './cdcHome.ts';
