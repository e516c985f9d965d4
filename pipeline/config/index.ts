/**
 * Shared by every component's config: reading settings from the environment.
 *
 * @example
 * const { str, num } = envReader(process.env, (m) => new WriterConfigError(m));
 * const config = definedOnly({ bucket: str('LANDING_BUCKET'), rolloverMs: num('ROLLOVER_MS') });
 */
export { definedOnly, envReader, type EnvReader } from './envReader.ts';
