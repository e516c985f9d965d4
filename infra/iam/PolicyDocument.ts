import { WildcardActionError } from '../errors.ts';

/**
 * IAM policy documents as plain typed objects, rendered with JSON.stringify so that the
 * synthesized Terraform holds a literal JSON policy (with `${…}` references inside strings):
 * readable in `cdk.tf.json`, parseable by checkov and by our own synth assertions.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  /** Omitted only in trust policies. */
  Resource?: string | string[];
  Principal?: Record<string, string | string[]> | '*';
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export { WildcardActionError };

/** An action is a wildcard when it is `*`, `service:*`, or ends in `*` (e.g. `s3:Get*`). */
export function isWildcardAction(action: string): boolean {
  return action.includes('*');
}

/**
 * Builds a policy document. Allow statements must name every action: a wildcard is refused
 * here, at synth time, not found later by a scanner.
 */
export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const wild = s.Action.filter(isWildcardAction);
    if (wild.length)
      throw new WildcardActionError(
        `statement ${s.Sid ?? '(no Sid)'} allows wildcard action(s) ${wild.join(', ')}: list each action`,
      );
  }
  return { Version: '2012-10-17', Statement: statements };
}

export function renderPolicy(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** Trust policy letting one AWS service assume a role, bound to this account (confused-deputy guard). */
export function assumeRolePolicy(service: string, accountId: string): string {
  return renderPolicy(
    policyDocument([
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ]),
  );
}
