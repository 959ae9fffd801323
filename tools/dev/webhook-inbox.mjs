// A tiny dev webhook inbox: records every request except GET / and lists them, newest first, as JSON on GET /.
// DELETE / empties it. Usage: node tools/dev/webhook-inbox.mjs [port]   (default 3090, bound to 127.0.0.1)
import http from 'node:http';

const port = Number(process.argv[2] ?? process.env.PORT ?? 3090);
const MAX = 500;
const received = [];
let nextId = 1;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const send = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(value, null, 2)}\n`);
    };
    const pathname = new URL(req.url ?? '/', 'http://inbox').pathname;
    if (req.method === 'GET' && pathname === '/')
      return send(200, { count: received.length, requests: received });
    if (req.method === 'DELETE' && pathname === '/') {
      received.length = 0;
      return send(200, { ok: true });
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // not JSON: keep the text
    }
    const entry = {
      id: nextId++,
      received_at: new Date().toISOString(),
      method: req.method,
      path: req.url,
      content_type: req.headers['content-type'] ?? null,
      request_id: req.headers['x-request-id'] ?? null,
      body,
    };
    received.unshift(entry);
    if (received.length > MAX) received.pop();
    console.log(`${entry.received_at} ${req.method} ${req.url} (${raw.length} bytes)`);
    send(200, { ok: true, id: entry.id });
  });
});

server.on('error', (err) => {
  console.error(`webhook inbox: ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => console.log(`webhook inbox listening on http://127.0.0.1:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
