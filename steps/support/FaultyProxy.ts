import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const ProxyMode = { PASS: 'pass', REFUSE: 'refuse', ERROR_5XX: '5xx' } as const;
export type ProxyMode = (typeof ProxyMode)[keyof typeof ProxyMode];

/**
 * A real HTTP proxy in front of the local S3 endpoint, so a scenario can take S3 away from one
 * component without touching the others: `refuse` closes the listening socket (connection
 * refused, as when the endpoint is down), `5xx` answers every request with 503 SlowDown.
 */
export class FaultyProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  mode: ProxyMode = ProxyMode.PASS;
  requests = 0;
  refusedOr5xx = 0;

  constructor(
    readonly port: number,
    private readonly target: URL,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async setMode(mode: ProxyMode): Promise<void> {
    this.mode = mode;
    if (mode === ProxyMode.REFUSE) await this.close();
    else if (!this.server) await this.listen();
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    if (this.mode === ProxyMode.ERROR_5XX) {
      this.refusedOr5xx++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>injected outage</Message></Error>');
      return;
    }
    const upstream = request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      res.writeHead(502);
      res.end(e.message);
    });
    req.pipe(upstream);
  }
}
