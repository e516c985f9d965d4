import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';

/** Who listens on a port: a pid and its command line, or neither when the kernel won't tell us. */
export interface PortHolder {
  pid?: number;
  command?: string;
}

const TCP_LISTEN = '0A';

/**
 * Socket inodes listening on `port`, from the text of /proc/net/tcp or /proc/net/tcp6
 * (columns: sl, local_address HEXIP:HEXPORT, rem_address, st, …, inode at index 9).
 */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    const inode = cols[9];
    if (!local || !inode || cols[3] !== TCP_LISTEN) continue;
    const hexPort = local.slice(local.lastIndexOf(':') + 1);
    if (Number.parseInt(hexPort, 16) === port) inodes.push(inode);
  }
  return inodes;
}

/**
 * Finds who holds a listening TCP port: /proc/net/tcp{,6} for the socket inode, then /proc/<pid>/fd
 * for the process owning it (what `ss -ltnp` does, without needing ss). Returns undefined when the
 * port is free. Where /proc shows nothing (another OS, another network namespace) a bind probe still
 * tells whether the port is taken, with an unknown holder.
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const inode of listeningInodes(text, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return (await canBind(port)) ? undefined : {};
  return (await processOwningSocket(inodes)) ?? {};
}

async function processOwningSocket(inodes: Set<string>): Promise<PortHolder | undefined> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        return { pid: Number(entry), command: await commandLineOf(Number(entry)) };
      }
    }
  }
  return undefined;
}

/** The command line of a process (NUL-separated in /proc), or undefined when it is gone. */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return raw?.split('\0').filter(Boolean).join(' ') || undefined;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const MAX_COMMAND = 100;

/** The usual way out when a service port is taken by a stack that is already running. */
export const USE_EXTERNAL_HINT = 'or run with LOCAL_STACK=external to use what is already there';

/** One line that names the holder and says what to do (`hint` adds an alternative to freeing the port). */
export function portBusyMessage(port: number, service: string, holder: PortHolder, hint?: string): string {
  const what = `port ${port} (${service}) is taken by`;
  const alternative = hint ? ` ${hint}` : '';
  if (holder.pid === undefined) {
    return `${what} a process we cannot see (another user, container or namespace): free it (ss -ltnp 'sport = :${port}' shows it as root)${alternative}`;
  }
  const command = holder.command ?? 'command unknown';
  const shown = command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND - 1)}…` : command;
  return `${what} pid ${holder.pid} (${shown}): stop it (kill ${holder.pid})${alternative}`;
}
