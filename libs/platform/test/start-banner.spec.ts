import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { repoRoot } from '@vigil/testing';

const run = promisify(execFile);
const BANNER = pathToFileURL(path.join(repoRoot(), 'tools/dev/start-banner.mjs')).href;

/** `startBanner(setup)` of tools/dev/start-banner.mjs (an ES module of the dev runner), run by node. */
async function startBanner(setup: unknown): Promise<string[]> {
  const script = `import { startBanner } from ${JSON.stringify(BANNER)};
process.stdout.write(JSON.stringify(startBanner(${JSON.stringify(setup)})));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
}

const PORTS = { nats: 4222, natsMonitor: 8222, postgres: 5433, smtp: 1025, mailUi: 1080, inbox: 3090 };

/** The table `npm start` prints once everything is up (tools/dev/start.mjs). */
describe('npm start banner', () => {
  it('points to the file holding the Postgres password instead of printing it', async () => {
    const lines = await startBanner({
      services: [{ name: 'audit', port: 3002 }],
      ports: PORTS,
      databases: ['vigil_audit'],
      passwordFile: '.data/postgres-password',
    });
    const postgres = lines.find((line) => line.trimStart().startsWith('Postgres'));
    expect(postgres).toMatch(
      /postgres:\/\/postgres@127\.0\.0\.1:5433\/postgres +password in \.data\/postgres-password; databases vigil_audit$/,
    );
    // No line carries a URL with credentials in it.
    for (const line of lines) expect(line).not.toMatch(/[a-z]+:\/\/[^\s/@]+:[^\s/@]+@/);
    expect(lines.map((line) => line.trim().split(/ {2,}/)[0])).toEqual([
      'audit',
      'mail inbox',
      'webhook inbox',
      'NATS',
      'Postgres',
    ]);
  });

  it('prints the DSN of each errors project, ready to paste into an SDK', async () => {
    const dsn = 'http://5e17a0c0de0000000000000000000002@127.0.0.1:3005/2';
    const lines = await startBanner({
      services: [{ name: 'errors', port: 3005 }],
      ports: PORTS,
      databases: ['vigil_errors'],
      passwordFile: '.data/postgres-password',
      dsns: [{ project: 'django-profile', dsn, usedBy: 'SENTRY_DSN of examples/django-profile' }],
    });
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}DSN django-profile +http:\/\/5e17a0c0de0000000000000000000002@127\.0\.0\.1:3005\/2 +SENTRY_DSN of examples\/django-profile$/,
      ),
    );
  });
});
