import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fault-injecting HTTP proxy in front of the local S3 endpoint, for storage-outage tests:
 * - `pass`: forward everything;
 * - `error-503`: answer every request with S3's 503 ServiceUnavailable (nothing reaches S3);
 * - `reset`: drop the connection before forwarding (nothing reaches S3);
 * - `lose-response`: forward, let S3 apply the request, then drop the connection (the client
 *   never hears it succeeded — the case that makes retries dangerous);
 * - `down`: stop listening (connection refused) until the mode changes.
 * Only loopback traffic: it listens on 127.0.0.1 and forwards to the given local endpoint.
 */
export type FaultMode = 'pass' | 'error-503' | 'reset' | 'lose-response' | 'down';

export class S3FaultProxy {
  mode: FaultMode = 'pass';
  readonly requests: Record<FaultMode, number> = { pass: 0, 'error-503': 0, reset: 0, 'lose-response': 0, down: 0 };
  private server: Server | undefined;
  private port = 0;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: URL) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const mode = this.mode;
      this.requests[mode]++;
      if (mode === 'error-503') {
        req.resume();
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>injected outage</Message></Error>');
        return;
      }
      if (mode === 'reset') {
        req.socket.destroy();
        return;
      }
      const upstream = request(
        { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          if (mode === 'lose-response') {
            up.resume();
            up.on('end', () => req.socket.destroy());
            return;
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => req.socket.destroy());
      req.pipe(upstream);
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async setMode(mode: FaultMode): Promise<void> {
    if (mode === 'down' && this.mode !== 'down') {
      this.mode = mode;
      await this.close();
    } else if (mode !== 'down' && this.mode === 'down') {
      this.mode = mode;
      await this.start();
    } else {
      this.mode = mode;
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
