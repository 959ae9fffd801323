// The Python client (clients/python) under Debian's Django, against the built audit service on a real
// nats-server and Postgres: an admin edit made while the audit service is DOWN (its process stopped, not
// paused) waits in the client's spool, and reaches the trail exactly once after the service is started
// again on the same port and database; the hash chains stay intact.
//
// clients/python/tests/integration/test_against_audit.py drives the admin and takes the service down and
// up through VIGIL_AUDIT_STOP_CMD / VIGIL_AUDIT_START_CMD. Those commands call back into this spec: a
// small HTTP control server on loopback whose POST /stop stops the audit process (SIGTERM, waits for the
// exit) and POST /start runs a new one and answers once it is ready. The Python run is an asynchronous
// child process, so this event loop stays free to serve those calls.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { hashApiKey } from '@vigil/platform';
import {
  freePort,
  repoRoot,
  runService,
  startNatsServer,
  testDatabaseUrl,
  type NatsServerHandle,
  type ServiceProcess,
} from '@vigil/testing';

import { getJson } from './system';

jest.setTimeout(90_000);

/** The key the Python test publishes with (as source `profile`) and reads the trail with. */
const PYTHON_KEY = 'e2e-python-client-key-0123456789';
const PYTHON_TIMEOUT_MS = 75_000;
const auth = { authorization: `Bearer ${PYTHON_KEY}` } as const;

interface ListedEvent {
  event: { id: string; action: string; source: string; resource: { type: string; id: string } };
}

/** The audit service, stoppable and startable again on the same port and database. */
interface AuditUnderTest {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

async function auditService(natsUrl: string): Promise<AuditUnderTest> {
  const port = await freePort();
  const env = {
    PORT: String(port),
    MANAGEMENT_PORT: String(await freePort()),
    NATS_URL: natsUrl,
    DATABASE_URL: await testDatabaseUrl(),
    LOG_LEVEL: 'info',
    ENVIRONMENT: 'test',
    API_KEYS: JSON.stringify([
      {
        name: 'e2e-python-client',
        hash: hashApiKey(PYTHON_KEY, { N: 1024 }),
        scopes: ['audit:publish', 'audit:read'],
        sources: ['profile'],
      },
    ]),
  };
  let current: ServiceProcess | undefined;
  const outputs: string[] = [];
  return {
    url: `http://127.0.0.1:${port}`,
    async start() {
      if (current) throw new Error('the audit service is already running');
      current = await runService({ app: 'audit', env });
      await current.waitForReady(port, 30_000);
    },
    async stop() {
      if (!current) throw new Error('the audit service is not running');
      const process = current;
      current = undefined;
      await process.stop();
      outputs.push(process.output());
    },
    output: () => [...outputs, current?.output() ?? ''].join('\n--- restarted ---\n'),
  };
}

/** POST /stop and POST /start on loopback, one at a time; counts the calls that succeeded. */
async function controlServer(audit: AuditUnderTest) {
  const done = { stop: 0, start: 0 };
  let queue: Promise<unknown> = Promise.resolve();
  const server = http.createServer((req, res) => {
    const action =
      req.method === 'POST' && (req.url === '/stop' || req.url === '/start') ? req.url.slice(1) : '';
    if (action !== 'stop' && action !== 'start') {
      res.writeHead(404).end();
      return;
    }
    queue = queue.then(async () => {
      try {
        await audit[action]();
        done[action] += 1;
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`${action}: done\n`);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A shell command for the Python test; urllib exits non-zero on a 500, which fails the test there.
  const command = (action: 'stop' | 'start') =>
    `/usr/bin/python3 -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:${port}/${action}', method='POST'), timeout=60)"`;
  return { done, command, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs the Python integration test with Debian's interpreter; resolves with its exit code and output. */
function runPythonIntegration(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    '/usr/bin/python3',
    ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'clients/python/tests/integration'],
    {
      cwd: repoRoot(),
      // Debian's directories only: the python3 first on a developer's PATH may be another interpreter.
      env: { PATH: '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PYTHON_TIMEOUT_MS,
    },
  );
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

describe('the Python client against the real audit service', () => {
  let nats: NatsServerHandle;
  let audit: AuditUnderTest;
  let control: Awaited<ReturnType<typeof controlServer>>;

  beforeAll(async () => {
    nats = await startNatsServer();
    audit = await auditService(nats.url);
    control = await controlServer(audit);
    await audit.start();
  });

  afterAll(async () => {
    await control?.close();
    await audit?.stop().catch(() => undefined);
    await nats?.stop();
  });

  it('stores an admin edit made while audit was stopped exactly once after it restarts, chains intact', async () => {
    const python = await runPythonIntegration({
      VIGIL_AUDIT_URL: audit.url,
      VIGIL_AUDIT_API_KEY: PYTHON_KEY,
      VIGIL_AUDIT_STOP_CMD: control.command('stop'),
      VIGIL_AUDIT_START_CMD: control.command('start'),
    });
    if (python.code !== 0) {
      process.stderr.write(`--- pytest ---\n${python.output}\n--- audit ---\n${audit.output()}\n`);
    }
    expect(python.code).toBe(0);
    expect(python.output).toMatch(/\b1 passed\b/);
    // The outage was real: the Python test stopped the process and started a new one.
    expect(control.done).toEqual({ stop: 1, start: 1 });

    // Exactly once, seen from here too: the fresh database holds the two admin events and the marker,
    // each id once (the test resent both admin events after they were stored).
    const { status, body } = await getJson<{ events: ListedEvent[]; count: number }>(
      `${audit.url}/audit/events?resource_type=userprofile&limit=100`,
      { headers: auth },
    );
    expect(status).toBe(200);
    expect(body.events.map((e) => e.event.action).sort()).toEqual([
      'admin.economy_field.changed',
      'admin.userprofile.changed',
      'e2e.marker.published',
    ]);
    expect(new Set(body.events.map((e) => e.event.id)).size).toBe(3);
    expect(body.events.every((e) => e.event.source === 'profile')).toBe(true);

    const verify = await getJson<{ ok: boolean }>(`${audit.url}/audit/verify`, { headers: auth });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
