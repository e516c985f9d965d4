import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive, livePid, spawnDetached, stopProcess } from './DetachedProcess.ts';

describe('detached service processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbc-detached-'));

  it('starts a process that writes its pid file and log, and stops it with SIGTERM', async () => {
    const pidFile = join(dir, 'sleeper.pid');
    const logFile = join(dir, 'sleeper.log');
    const pid = await spawnDetached({ command: 'sleep', args: ['30'], logFile, pidFile });
    assert.equal(readFileSync(pidFile, 'utf8').trim(), String(pid));
    assert.match(readFileSync(logFile, 'utf8'), /^--- .* sleep 30\n/);
    assert.equal(await livePid(pidFile, 'sleep 30'), pid);
    assert.equal(await stopProcess(pid, 5_000), 'terminated');
    assert.equal(isAlive(pid), false);
  });

  it('escalates to SIGKILL when a process ignores SIGTERM', async () => {
    const pid = await spawnDetached({
      command: 'sh',
      args: ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done'],
      logFile: join(dir, 'stubborn.log'),
      pidFile: join(dir, 'stubborn.pid'),
    });
    // Wait for the trap to be installed (a line of its own: the log's header also contains the word).
    while (!/^ready$/m.test(readFileSync(join(dir, 'stubborn.log'), 'utf8'))) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await stopProcess(pid, 300), 'killed');
  });

  it('treats a pid file whose process is someone else as stale and removes it', async () => {
    const pidFile = join(dir, 'recycled.pid');
    writeFileSync(pidFile, `${process.pid}\n`); // alive, but its command line is node, not ours
    assert.equal(await livePid(pidFile, 'moto_server'), undefined);
    assert.equal(existsSync(pidFile), false);
  });

  it('reports a missing binary as an error instead of a pid', async () => {
    await assert.rejects(
      spawnDetached({ command: join(dir, 'no-such-binary'), args: [], logFile: join(dir, 'x.log'), pidFile: join(dir, 'x.pid') }),
      /ENOENT/,
    );
  });

  it('says not-running when stopping a process that is already gone', async () => {
    const pid = await spawnDetached({ command: 'true', args: [], logFile: join(dir, 't.log'), pidFile: join(dir, 't.pid') });
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await stopProcess(pid, 100), 'not-running');
  });
});
