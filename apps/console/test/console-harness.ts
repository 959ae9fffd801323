import {
  Controller,
  Get,
  Module,
  type DynamicModule,
  type INestApplication,
  type Type,
} from '@nestjs/common';

import {
  hashApiKey,
  platformConfigSchema,
  PlatformModule,
  RequireScope,
  startService,
  type ApiScope,
  type ServiceName,
} from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, type NatsServerHandle } from '@vigil/testing';

import { consoleService } from '../src/service';

export interface TestKey {
  name: string;
  key: string;
  scopes: readonly ApiScope[];
}

/** Keys the fake-free upstreams below accept: a real platform service with real API_KEYS. */
export const READER: TestKey = {
  name: 'auditor',
  key: 'console-test-audit-reader-key',
  scopes: ['audit:read'],
};
export const OPERATOR: TestKey = {
  name: 'operator',
  key: 'console-test-operator-key-0123456789',
  scopes: ['audit:read', 'alerts:write', 'alerts:ack', 'silences:write'],
};

@Controller('probe')
class ProbeController {
  /** A route needing a scope, so tests can show the service refusing a person without it. */
  @Get('guarded')
  @RequireScope('audit:read')
  guarded(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class UpstreamModule {}

export interface ConsoleUnderTest {
  /** http://127.0.0.1:<port> of the console */
  base: string;
  /** The upstream platform service standing in as `audit` (alerting, health... point at a closed port). */
  upstreamBase: string;
  stop(): Promise<void>;
}

/**
 * The console in-process against one real platform service (API-key guard, whoami, scopes) as `audit`,
 * real NATS and Postgres. Page features add their own controllers to `upstreamControllers`.
 */
export async function startConsole(
  options: {
    keys?: readonly TestKey[];
    upstreamControllers?: Type[];
    env?: Record<string, string>;
    /** Real services already running (e.g. built ones from runService) in place of the closed port. */
    upstreamUrls?: Partial<Record<'health' | 'alerting' | 'reporting' | 'errors', string>>;
    /** Extra environment of the upstream service (e.g. OIDC_* so it accepts an issuer's tokens). */
    upstreamEnv?: Record<string, string>;
  } = {},
): Promise<ConsoleUnderTest> {
  const keys = options.keys ?? [READER, OPERATOR];
  const [nats, upstreamDb, consoleDb] = await Promise.all([
    startNatsServer(),
    testDatabaseUrl(),
    testDatabaseUrl(),
  ]);
  const apiKeys = apiKeysOf(keys);
  const upstreamPort = await freePort();
  const upstream = await startService(
    {
      name: 'audit' satisfies ServiceName,
      configSchema: platformConfigSchema,
      module: (config): DynamicModule => ({
        module: UpstreamModule,
        imports: [
          PlatformModule.forRoot({ service: 'audit', config, database: { entities: [], migrations: [] } }),
        ],
        controllers: [ProbeController, ...(options.upstreamControllers ?? [])],
      }),
    },
    { ...serviceEnv(nats, upstreamDb, upstreamPort), API_KEYS: apiKeys, ...options.upstreamEnv },
    { logger: false },
  );
  const closedPort = await freePort();
  const consolePort = await freePort();
  const app: INestApplication = await startService(
    consoleService,
    {
      ...serviceEnv(nats, consoleDb, consolePort),
      AUDIT_URL: `http://127.0.0.1:${upstreamPort}`,
      HEALTH_URL: options.upstreamUrls?.health ?? `http://127.0.0.1:${closedPort}`,
      ALERTING_URL: options.upstreamUrls?.alerting ?? `http://127.0.0.1:${closedPort}`,
      REPORTING_URL: options.upstreamUrls?.reporting ?? `http://127.0.0.1:${closedPort}`,
      ERRORS_URL: options.upstreamUrls?.errors ?? `http://127.0.0.1:${closedPort}`,
      CONSOLE_PUBLIC_URL: `http://127.0.0.1:${consolePort}`,
      ...options.env,
    },
    { logger: false },
  );
  return {
    base: `http://127.0.0.1:${consolePort}`,
    upstreamBase: `http://127.0.0.1:${upstreamPort}`,
    async stop() {
      await app.close();
      await upstream.close();
      await nats.stop();
    },
  };
}

/** API_KEYS of a service that accepts `keys` (cheap scrypt for speed). */
export function apiKeysOf(keys: readonly TestKey[]): string {
  return JSON.stringify(
    keys.map((k) => ({ name: k.name, hash: hashApiKey(k.key, { N: 1024 }), scopes: k.scopes })),
  );
}

function serviceEnv(nats: NatsServerHandle, databaseUrl: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    NATS_URL: nats.url,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    ENVIRONMENT: 'test',
  };
}

/** A browser-like client: keeps cookies, never follows redirects (tests look at each one). */
export class CookieClient {
  private readonly jar = new Map<string, string>();

  constructor(readonly base: string) {}

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  setCookie(name: string, value: string): void {
    this.jar.set(name, value);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers: { accept: 'text/html', ...headers } });
  }

  async postForm(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Signs in through the form, as a browser would; returns the final answer of POST /login. */
  async login(key: string, next?: string): Promise<Response> {
    const form = await this.get(`/login${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    return this.postForm('/login', { api_key: key, _csrf: csrf, next: next ?? '/' });
  }

  /** The CSRF token of the signed-in page at `path` (the meta tag every console page carries). */
  async csrf(path = '/account'): Promise<string> {
    const page = await (await this.get(path)).text();
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(page)?.[1];
    if (token === undefined) throw new Error(`no csrf-token meta on ${path}`);
    return token;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const cookies = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(this.base + path, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookies ? { cookie: cookies } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/Max-Age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }
}
