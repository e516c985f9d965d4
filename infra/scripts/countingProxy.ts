/**
 * The rehearsal's witness of where the suite's requests go: an HTTP forwarder that counts every
 * request it passes on to `upstream`, or, without one, a trap that answers 502 to any request
 * (put on the default API port, it counts requests that ignored the URL they were given). The
 * count is rewritten to `countFile` after each request.
 *
 *   node --import tsx infra/scripts/countingProxy.ts <port> <countFile> [upstream]
 */
import { writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';

const [port, countFile, upstream] = process.argv.slice(2);
if (!port || !countFile) {
  console.error('usage: countingProxy.ts <port> <countFile> [upstream]');
  process.exit(2);
}
const target = upstream ? new URL(upstream) : undefined;
let count = 0;
writeFileSync(countFile, '0\n');

const server = createServer((req, res) => {
  count += 1;
  writeFileSync(countFile, `${count}\n`);
  if (!target) {
    res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"not the API the suite was given"}');
    return;
  }
  const forward = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  forward.on('error', (e) => res.writeHead(502).end(`upstream ${upstream}: ${e.message}`));
  req.pipe(forward);
});
server.listen(Number(port), '127.0.0.1', () =>
  console.log(`counting requests on ${port}${target ? ` → ${target.origin}` : ' (trap)'}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
