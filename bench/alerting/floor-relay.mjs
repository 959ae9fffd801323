// The latency floor of bench/alerting: the least a Node process can do between an alert's POST and
// its webhook when the notification must be durable in Postgres first. No framework, no validation,
// no redaction, no routing: parse the body, one INSERT (autocommit, prepared), POST the alerts of
// phase "latency" to the webhook, answer 200. Measured like the two systems, in the same run, it shows
// how much of a latency is this machine's (its scheduler, a third process woken) and how much ours.
// Usage (a child of run.mjs): node floor-relay.mjs <database url> <webhook url>; prints its port.
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pg = createRequire(path.join(root, 'apps/alerting/package.json'))('pg');

const [databaseUrl, hookUrl] = process.argv.slice(2);
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
await db.query('CREATE TABLE IF NOT EXISTS floor_outbox (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
const agent = new http.Agent({ keepAlive: true });

/** Stores the posted alerts (one durable INSERT), then posts those of phase "latency" to the webhook. */
async function relay(body, res) {
  try {
    const alerts = JSON.parse(body);
    const payload = JSON.stringify({ version: '4', status: 'firing', alerts });
    await db.query({
      name: 'outbox',
      text: 'INSERT INTO floor_outbox (payload) VALUES ($1)',
      values: [payload],
    });
    if (alerts.some((alert) => alert.labels?.phase === 'latency')) {
      const hook = http.request(hookUrl, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      hook.on('response', (answer) => answer.resume());
      hook.on('error', () => undefined);
      hook.end(payload);
    }
    res.writeHead(200).end();
  } catch {
    res.writeHead(500).end();
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => void relay(Buffer.concat(chunks).toString('utf8'), res));
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${/** @type {import('node:net').AddressInfo} */ (server.address()).port}\n`),
);
process.on('SIGTERM', () => {
  server.close();
  db.end().finally(() => process.exit(0));
});
