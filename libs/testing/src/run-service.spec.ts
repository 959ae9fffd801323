import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './free-port';
import { repoRoot } from './repo-root';
import { runService, serviceEntry } from './run-service';

jest.setTimeout(30_000);

const fakeService = `
const http = require('node:http');
const port = Number(process.env.PORT);
if (process.env.FAIL_WITH) { console.error(process.env.FAIL_WITH); process.exit(3); }
let ready = false;
const server = http.createServer((req, res) => {
  if (req.url === '/health/readiness') { res.statusCode = ready ? 200 : 503; return res.end(); }
  res.statusCode = 404; res.end();
});
server.listen(port, '127.0.0.1', () => {
  console.log('listening on ' + port + ' pid=' + process.pid + ' home=' + (process.env.HOME ? 'set' : 'unset') + ' secret=' + (process.env.VIGIL_SPEC_SECRET ?? 'none'));
  setTimeout(() => { ready = true; }, 300);
});
process.on('SIGTERM', () => { console.log('draining'); server.close(() => process.exit(0)); });
`;

describe('runService', () => {
  let dir: string;
  let entry: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-run-service-'));
    entry = path.join(dir, 'main.js');
    fs.writeFileSync(entry, fakeService);
    process.env.VIGIL_SPEC_SECRET = 'leaked';
  });
  afterAll(() => {
    delete process.env.VIGIL_SPEC_SECRET;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a service with a minimal env, waits for readiness and stops it with SIGTERM', async () => {
    const port = await freePort();
    const service = await runService({ app: 'health', entry, env: { PORT: String(port) } });
    try {
      expect(service.pid).toBeGreaterThan(0);
      await service.waitForReady(port, 10_000);
      expect(service.output()).toContain(`listening on ${port} pid=${service.pid} home=set secret=none`);
    } finally {
      const result = await service.stop();
      expect(result).toEqual({ code: 0, signal: null });
    }
    expect(service.output()).toContain('draining');
  });

  it('fails fast with the output when the service exits before it is ready', async () => {
    const port = await freePort();
    const service = await runService({
      app: 'audit',
      entry,
      env: { PORT: String(port), FAIL_WITH: 'DATABASE_URL: Invalid url' },
    });
    await expect(service.waitForReady(port, 10_000)).rejects.toThrow(
      /audit exited \(code 3.*DATABASE_URL: Invalid url/s,
    );
    await expect(service.waitForExit(1_000)).resolves.toEqual({ code: 3, signal: null });
  });

  it('runs apps/<app>/dist/main.js from the repo root by default', () => {
    expect(serviceEntry('reporting')).toBe(path.join(repoRoot(), 'apps/reporting/dist/main.js'));
    expect(fs.existsSync(path.join(repoRoot(), 'pnpm-workspace.yaml'))).toBe(true);
  });

  it('says what is missing when the entry point does not exist', async () => {
    await expect(runService({ app: 'audit', entry: path.join(dir, 'nope.js'), env: {} })).rejects.toThrow(
      /nope\.js does not exist; build it first/,
    );
  });
});
