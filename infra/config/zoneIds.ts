/**
 * Default zones of a new VPC, by zone ID: `<region code>-az1…az3`, e.g. use1-az1 for us-east-1.
 * Zone IDs name the same physical zone in every account (names like us-east-1a do not), and a
 * fixed list keeps the subnets where they are when AWS adds a zone. Not every region has
 * az1–az3 (us-west-1 and ap-northeast-1 skip one for new accounts): the plan then fails with a
 * message asking for network.availabilityZoneIds (constructs/Network.ts).
 */
const DIRECTION: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** The region part of its zone IDs: us-east-1 → use1, us-gov-west-1 → usgw1, ap-southeast-2 → apse2. */
export function zoneIdPrefix(region: string): string {
  const m = /^([a-z]{2})-(gov-)?([a-z]+)-(\d+)$/.exec(region);
  const direction = m && DIRECTION[m[3]!];
  if (!m || !direction) throw new Error(`no zone ID prefix known for region ${region}: set network.availabilityZoneIds`);
  return `${m[1]}${m[2] ? 'g' : ''}${direction}${m[4]}`;
}

export function defaultZoneIds(region: string): string[] {
  const prefix = zoneIdPrefix(region);
  return [1, 2, 3].map((n) => `${prefix}-az${n}`);
}
