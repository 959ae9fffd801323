import fs from 'node:fs';
import path from 'node:path';

import type { INestApplication } from '@nestjs/common';

import { hashApiKey, platformConfigSchema, startService, type ServiceDefinition } from '@vigil/platform';
import { freePort, repoRoot, startNatsServer, testDatabaseUrl } from '@vigil/testing';

import type { TestKey } from './console-harness';

/** Keys of the real audit service: a privacy officer (reads), a publisher, a key without audit access. */
export const PRIVACY_OFFICER: TestKey = {
  name: 'privacy-officer',
  key: 'console-test-privacy-officer-key-01',
  scopes: ['audit:read'],
};
export const PUBLISHER = {
  name: 'shop-app',
  key: 'console-test-publisher-key-0123456',
  scopes: ['audit:publish'],
} as const;

export interface RealAudit {
  base: string;
  /** The audit service's own database (tests that load volume straight into it). */
  databaseUrl: string;
  /** POSTs events to the HTTP intake (202: durable in JetStream). */
  publish(events: readonly Record<string, unknown>[]): Promise<void>;
  /** GET on the audit API with the privacy officer's key. */
  get<T>(pathAndQuery: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The real audit service, in-process, from its build (apps/audit/dist: an app may not import another
 * app's package, so it is loaded by path, as e2e runs the built services; nx builds it first through the
 * console's implicit dependency). Its own NATS and Postgres; Merkle tree and checkpoints every 200 ms.
 */
export async function startRealAudit(): Promise<RealAudit> {
  const built = path.join(repoRoot(), 'apps', 'audit', 'dist', 'service.js');
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: build @vigil/audit-service first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a built app, loaded by path (see above)
  const { auditService } = require(built) as { auditService: ServiceDefinition<typeof platformConfigSchema> };
  const [nats, databaseUrl, port] = await Promise.all([startNatsServer(), testDatabaseUrl(), freePort()]);
  const keys = [
    {
      name: PRIVACY_OFFICER.name,
      hash: hashApiKey(PRIVACY_OFFICER.key, { N: 1024 }),
      scopes: PRIVACY_OFFICER.scopes,
    },
    {
      name: PUBLISHER.name,
      hash: hashApiKey(PUBLISHER.key, { N: 1024 }),
      scopes: PUBLISHER.scopes,
      sources: ['*'],
    },
  ];
  const app: INestApplication = await startService(
    auditService,
    {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'test',
      API_KEYS: JSON.stringify(keys),
      AUDIT_MERKLE_INTERVAL_MS: '200',
      AUDIT_CHECKPOINT_INTERVAL_MS: '500',
    },
    { logger: false },
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    databaseUrl,
    async publish(events) {
      for (let i = 0; i < events.length; i += 500) {
        const answer = await fetch(`${base}/audit/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PUBLISHER.key}`, 'content-type': 'application/json' },
          body: JSON.stringify(events.slice(i, i + 500)),
        });
        if (answer.status !== 202)
          throw new Error(`intake answered ${answer.status}: ${await answer.text()}`);
      }
    },
    async get<T>(pathAndQuery: string): Promise<T> {
      const answer = await fetch(base + pathAndQuery, {
        headers: { authorization: `Bearer ${PRIVACY_OFFICER.key}` },
      });
      if (!answer.ok) throw new Error(`GET ${pathAndQuery}: ${answer.status} ${await answer.text()}`);
      return (await answer.json()) as T;
    },
    async stop() {
      await app.close();
      await nats.stop();
    },
  };
}
