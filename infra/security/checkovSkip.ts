import type { TerraformResource } from 'cdktf';

/**
 * Suppresses one checkov check on one resource, with the reason, in the code that makes the
 * resource. checkov reads `#checkov:skip=ID:reason` comments in HCL but has no inline skip for
 * Terraform JSON (bridgecrewio/checkov#4634), so the skip travels in the resource's `//`
 * comment key, the place Terraform JSON reserves for comments and that #4634 proposes:
 *
 *   "//": { "checkov": { "skip": [ { "id": "CKV_AWS_117", "comment": "why" } ] } }
 *
 * `infra/security/checkovReport.ts` reads these back from the synthesized JSON and applies
 * them to checkov's report, so a skip needs a reason and a skip that no longer matches a
 * failure fails the scan.
 */
export interface CheckovSkip {
  id: string;
  comment: string;
}

const CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

export function checkovSkip(resource: TerraformResource, id: string, reason: string): void {
  if (!CHECK_ID.test(id)) throw new Error(`not a checkov check id: ${id}`);
  if (reason.trim().length < 20)
    throw new Error(`checkov skip ${id} on ${resource.node.path} needs a written reason (got "${reason}")`);
  const skips = skipsOf(resource);
  if (skips.some((s) => s.id === id)) throw new Error(`checkov skip ${id} is declared twice on ${resource.node.path}`);
  skips.push({ id, comment: reason.trim() });
  resource.addOverride('//.checkov.skip', [...skips]);
}

const registry = new WeakMap<TerraformResource, CheckovSkip[]>();

function skipsOf(resource: TerraformResource): CheckovSkip[] {
  let list = registry.get(resource);
  if (!list) {
    list = [];
    registry.set(resource, list);
  }
  return list;
}
