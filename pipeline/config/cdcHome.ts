import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The one folder the project keeps its machine-local things in (venvs, Kafka data and jars, logs,
 * metrics snapshots, load logs, Lambda bundles): `CHARGEBACK_CDC_HOME`, else `~/.cache/chargeback-cdc`.
 * An empty variable counts as unset, as for every other setting (`envReader`).
 */
export function cdcHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHARGEBACK_CDC_HOME || join(homedir(), '.cache', 'chargeback-cdc');
}
