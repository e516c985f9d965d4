import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { findPortHolder, listeningInodes, portBusyMessage, USE_EXTERNAL_HINT } from './portHolder.ts';

const PROC_NET_TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:23C6 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:11D6 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0',
  // An established connection from port 9158 (0x23C6) is not a listener.
  '   2: 0100007F:23C6 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 20 4 30 10 -1',
].join('\n');

const PROC_NET_TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000000000000:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 555 1 0000000000000000 100 0 0 10 0',
].join('\n');

describe('listeningInodes', () => {
  it('finds the listening socket of a port in /proc/net/tcp', () => {
    assert.deepEqual(listeningInodes(PROC_NET_TCP, 4566), ['777']);
    assert.deepEqual(listeningInodes(PROC_NET_TCP, 9158), ['4242']);
  });

  it('reads IPv6 addresses from /proc/net/tcp6', () => {
    assert.deepEqual(listeningInodes(PROC_NET_TCP6, 9092), ['555']);
  });

  it('finds nothing for a port no one listens on', () => {
    assert.deepEqual(listeningInodes(PROC_NET_TCP, 9093), []);
  });
});

describe('portBusyMessage', () => {
  it('names the holder by pid and command and says how to free the port, on one line', () => {
    const line = portBusyMessage(
      9092,
      'Kafka',
      { pid: 1234, command: 'java -cp x kafka.Kafka server.properties' },
      USE_EXTERNAL_HINT,
    );
    assert.equal(
      line,
      'port 9092 (Kafka) is taken by pid 1234 (java -cp x kafka.Kafka server.properties): stop it (kill 1234) or run with LOCAL_STACK=external to use what is already there',
    );
    assert.doesNotMatch(line, /\n/);
  });

  it('shortens a very long command line', () => {
    const line = portBusyMessage(4566, 'moto', { pid: 1, command: `java ${'-Dx=y '.repeat(100)}` });
    assert.match(line, /…\): stop it \(kill 1\)$/);
    assert.ok(line.length < 200);
  });

  it('says so when the holder cannot be seen', () => {
    assert.match(
      portBusyMessage(9093, 'Kafka controller', {}),
      /^port 9093 \(Kafka controller\) is taken by a process we cannot see .*ss -ltnp 'sport = :9093'/,
    );
  });
});

describe('findPortHolder', () => {
  it('finds this very process holding a port it listens on, and nothing once it is closed', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const holder = await findPortHolder(port);
    assert.equal(holder?.pid, process.pid);
    assert.match(holder?.command ?? '', /node/);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(await findPortHolder(port), undefined);
  });
});
