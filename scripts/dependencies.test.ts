import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

/**
 * The AWS SDK v3 clients and Powertools share their core packages; two versions of one core in the
 * tree mean two copies in every Lambda bundle and middleware that does not recognise the other's
 * objects. The lock file must resolve each of them to one version.
 */
const FAMILIES = ['@aws-sdk/', '@smithy/', '@aws-lambda-powertools/'];
/**
 * aws-msk-iam-sasl-signer-js 1.0.3 (the newest) pins the old v2 signer, whose own dependencies
 * (types, and util-middleware with its nested types) stay at 2.x; that signer runs inside the Kafka
 * client's OAUTHBEARER callback only, never in the SDK clients' middleware.
 */
const SIGNER_V2_COPIES = [
  'node_modules/aws-msk-iam-sasl-signer-js/node_modules/@smithy/signature-v4',
  'node_modules/aws-msk-iam-sasl-signer-js/node_modules/@smithy/types',
  'node_modules/@smithy/util-middleware/node_modules/@smithy/types',
];

test('every AWS SDK, Smithy and Powertools package resolves to one version (but the MSK signer’s own pinned copy)', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> };
  const versions = new Map<string, Set<string>>();
  for (const [path, pkg] of Object.entries(lock.packages)) {
    const name = path.split('node_modules/').pop() ?? '';
    if (!FAMILIES.some((f) => name.startsWith(f))) continue;
    if (SIGNER_V2_COPIES.includes(path) && pkg.version?.startsWith('2.')) continue;
    if (!versions.has(name)) versions.set(name, new Set());
    versions.get(name)!.add(pkg.version ?? '?');
  }
  const mixed = [...versions].filter(([, v]) => v.size > 1).map(([n, v]) => `${n}: ${[...v].join(', ')}`);
  assert.deepEqual(mixed, [], `mixed versions in package-lock.json:\n${mixed.join('\n')}`);
});

test('the AWS SDK clients the project depends on are pinned exactly', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
  const loose = Object.entries(pkg.dependencies).filter(([n, v]) => n.startsWith('@aws-') && !/^\d+\.\d+\.\d+$/.test(v));
  assert.deepEqual(loose, []);
});
