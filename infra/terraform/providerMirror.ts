import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { AWS_PROVIDER_MAX_EXCLUSIVE, AWS_PROVIDER_MIN } from '../stacks/terraformVersions.ts';

/**
 * Finds a local copy of the `hashicorp/aws` provider that `terraform init` can install from
 * without a network: a filesystem mirror in either layout Terraform reads
 * (https://developer.hashicorp.com/terraform/cli/config/config-file#filesystem_mirror) —
 * unpacked `registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_*`
 * or packed `registry.terraform.io/hashicorp/aws/terraform-provider-aws_<version>_<os>_<arch>.zip`.
 *
 * Where it looks, in order: `CHARGEBACK_TF_PROVIDER_MIRROR`; the mirror and plugin folders named
 * by the CLI config file Terraform would read (`TF_CLI_CONFIG_FILE`, else ~/.terraformrc), when
 * it exists; Terraform's implicit local mirror folders; and /opt/tf-plugins, where our machines
 * keep it. The project never depends on a hand-made CLI config: the caller writes its own that
 * points at the folder found here.
 */
export interface ProviderMirror {
  /** The mirror's root (the folder holding `registry.terraform.io/`). */
  dir: string;
  /** The newest version in it that the stacks accept. */
  version: string;
  /** The provider executable, when that version is unpacked (a zip must be installed by init first). */
  binary?: string;
}

export interface MirrorSearch {
  found?: ProviderMirror;
  lookedIn: string[];
}

const AWS_PATH = ['registry.terraform.io', 'hashicorp', 'aws'];

export function terraformPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch as string] ?? process.arch;
  return `${os}_${arch}`;
}

export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const candidates = [
    env.CHARGEBACK_TF_PROVIDER_MIRROR,
    ...cliConfigMirrors(env.TF_CLI_CONFIG_FILE || path.join(home, '.terraformrc')),
    // Terraform's implicit local mirrors on Unix (same page, "Implied Local Mirror Directories").
    path.join(home, '.terraform.d', 'plugins'),
    path.join(dataHome, 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    '/opt/tf-plugins',
  ].filter((d): d is string => !!d);
  return [...new Set(candidates.map((d) => path.resolve(d)))];
}

/** `path = "…"` of filesystem_mirror blocks and `plugin_cache_dir`, read from an HCL CLI config. */
function cliConfigMirrors(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const mirrors = [...text.matchAll(/filesystem_mirror\s*\{[^}]*?\bpath\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
  const cache = /^\s*plugin_cache_dir\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  return [...mirrors, ...(cache ? [cache] : [])];
}

export function findAwsProviderMirror(env: NodeJS.ProcessEnv = process.env, platform = terraformPlatform()): MirrorSearch {
  const lookedIn = mirrorCandidates(env);
  for (const dir of lookedIn) {
    const versions = mirroredVersions(dir, platform).filter(acceptedVersion).sort(compareVersions);
    const version = versions.at(-1);
    if (version) {
      const binary = unpackedBinary(dir, version, platform);
      return { found: { dir, version, ...(binary ? { binary } : {}) }, lookedIn };
    }
  }
  return { lookedIn };
}

function unpackedBinary(dir: string, version: string, platform: string): string | undefined {
  const platformDir = path.join(dir, ...AWS_PATH, version, platform);
  if (!existsSync(platformDir)) return undefined;
  const file = readdirSync(platformDir).find((f) => f.startsWith('terraform-provider-aws'));
  return file ? path.join(platformDir, file) : undefined;
}

function mirroredVersions(dir: string, platform: string): string[] {
  const awsDir = path.join(dir, ...AWS_PATH);
  if (!existsSync(awsDir)) return [];
  const versions: string[] = [];
  for (const entry of readdirSync(awsDir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const platformDir = path.join(awsDir, entry.name, platform);
      if (existsSync(platformDir) && readdirSync(platformDir).some((f) => f.startsWith('terraform-provider-aws')))
        versions.push(entry.name);
    } else {
      const packed = /^terraform-provider-aws_(\d+\.\d+\.\d+)_(.+)\.zip$/.exec(entry.name);
      if (packed && packed[2] === platform) versions.push(packed[1]!);
    }
  }
  return versions;
}

function acceptedVersion(v: string): boolean {
  return (
    /^\d+\.\d+\.\d+$/.test(v) && compareVersions(v, AWS_PROVIDER_MIN) >= 0 && compareVersions(v, AWS_PROVIDER_MAX_EXCLUSIVE) < 0
  );
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
