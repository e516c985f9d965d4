/**
 * test-aws.sh's check before cucumber starts: CDC_TARGET names where every endpoint is. On a
 * problem, one line listing all of them, and nothing runs.
 *
 *   node --import tsx infra/scripts/checkTarget.ts
 */
import { readTarget, TargetConfigError } from '../../steps/support/target.ts';

try {
  if (!readTarget()) throw new TargetConfigError('test:aws runs against a target: set CDC_TARGET=deployed or local');
} catch (e) {
  if (!(e instanceof TargetConfigError)) throw e;
  console.error(`${e.message} — nothing was run`);
  process.exit(1);
}
