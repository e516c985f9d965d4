import { PortBusyError } from './errors.ts';
import { findPortHolder, portBusyMessage } from './portHolder.ts';

export interface PortClaim {
  port: number;
  /** Human name for the message: "moto (DynamoDB, S3, SQS)", "Kafka"… */
  service: string;
  /** Pid of our own process for this service when it runs; a port held by it is not a conflict. */
  ours?: number;
  /** Another way out than freeing the port, e.g. USE_EXTERNAL_HINT for a service port. */
  hint?: string;
}

/**
 * Fails before anything starts when a port of the local contract is held by someone else, with one
 * line per busy port naming the holder and what to do.
 */
export async function preflightPorts(claims: PortClaim[]): Promise<void> {
  const problems: Array<{ port: number; line: string }> = [];
  for (const claim of claims) {
    const holder = await findPortHolder(claim.port);
    if (holder && (holder.pid === undefined || holder.pid !== claim.ours)) {
      problems.push({ port: claim.port, line: portBusyMessage(claim.port, claim.service, holder, claim.hint) });
    }
  }
  const first = problems[0];
  if (first) throw new PortBusyError(first.port, problems.map((p) => p.line).join('\n'));
}
