import { z } from 'zod';

import { apiKeysSchema } from '../auth/api-keys.config';
import { ConfigError } from './config-error';
import { redactionConfigShape, redactionPolicyOf } from './redaction-config';

export { ConfigError } from './config-error';

/** Default ports of the services (ARCHITECTURE.md); k8s/ and the dev runner use the same table. */
export const SERVICE_PORTS = {
  health: 3001,
  audit: 3002,
  alerting: 3003,
  reporting: 3004,
  errors: 3005,
  console: 3000,
} as const;
export type ServiceName = keyof typeof SERVICE_PORTS;
/** Management (probe) ports k8s/ gives each service: its HTTP port + 1000 (MANAGEMENT_PORT). */
export const MANAGEMENT_PORTS = {
  health: 4001,
  audit: 4002,
  alerting: 4003,
  reporting: 4004,
  errors: 4005,
  console: 4000,
} as const;

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
const port = z.coerce
  .number({ error: PORT_MESSAGE })
  .int(PORT_MESSAGE)
  .min(1, PORT_MESSAGE)
  .max(65535, PORT_MESSAGE);
const millis = z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0);

const POOL_MESSAGE = 'must be a whole number from 2 to 200';

/** Variables every service reads. Services extend this schema with their own keys. */
export const platformConfigSchema = z.object({
  PORT: port.optional(),
  /**
   * When set, the Kubernetes probes are also served on this port by a worker thread (the management
   * listener), so they never wait behind application traffic. k8s/ probes this port.
   */
  MANAGEMENT_PORT: port.optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, 'must be a nats:// URL')
    .default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL'),
  /**
   * Postgres connections one replica opens at most, all its pools together: replicas x this, summed over
   * the services, must fit the server's max_connections (k8s/ budgets it; deploy/test checks it).
   */
  DATABASE_POOL_MAX: z.coerce
    .number({ error: POOL_MESSAGE })
    .int(POOL_MESSAGE)
    .min(2, POOL_MESSAGE)
    .max(200, POOL_MESSAGE)
    .default(10),
  /** JetStream replicas of the streams the services create (3 on a 3-node cluster; 1 on a single server). */
  NATS_STREAM_REPLICAS: z.coerce
    .number({ error: 'must be a number from 1 to 5' })
    .int()
    .min(1)
    .max(5)
    .default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ENVIRONMENT: z.string().min(1).default('development'),
  SERVICE_VERSION: z.string().min(1).default('0.1.0'),
  GIT_SHA: z.string().min(1).default('unknown'),
  /** How often dependency checks run in the background; probes only read their cached result. */
  HEALTH_CHECK_INTERVAL_MS: millis.min(100).default(2000),
  HEALTH_CHECK_TIMEOUT_MS: millis.min(50).default(1000),
  /** Liveness fails when the event loop has been blocked longer than this. */
  EVENT_LOOP_BLOCK_MS: millis.min(100).default(5000),
  /**
   * Bearer API keys this service accepts, as scrypt hashes (SECURITY.md, "API keys"):
   * `[{"name":"prometheus","hash":"scrypt$32768$8$1$<salt>$<hash>","scopes":["alerts:write"]}]`, each
   * entry optionally with its own `write_rate_per_s` (0: no limit) and `write_burst`.
   * Required outside development/test; unset there, every route but the public ones answers 401.
   */
  API_KEYS: apiKeysSchema.default([]),
  /**
   * Optional OIDC: bearer JWTs verified against this JWKS URL, with OIDC_ISSUER and OIDC_AUDIENCE
   * (both required with it); scopes from the claim OIDC_SCOPES_CLAIM (a space-separated string or an
   * array). API keys keep working beside it.
   */
  OIDC_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_SCOPES_CLAIM: z.string().min(1).default('scope'),
  OIDC_ALGORITHMS: z
    .string()
    .default('RS256,ES256,PS256,EdDSA')
    .transform((text) => text.split(',').map((a) => a.trim()))
    .pipe(
      z
        .array(
          z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'], {
            error:
              'must be a comma-separated list of asymmetric JWS algorithms (RS256, ES256, PS256, EdDSA, ...)',
          }),
        )
        .min(1),
    ),
  /** Per-key token bucket on write routes (per replica): refill per second (0 turns it off) and burst. */
  API_WRITE_RATE_PER_S: z.coerce.number({ error: 'must be a number' }).min(0).default(20),
  API_WRITE_BURST: z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(100),
  /** Largest JSON or form body accepted; larger ones get 413. */
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Largest request head (request line and headers) accepted; larger ones get 431. */
  HTTP_MAX_HEADER_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int()
    .min(4096)
    .max(1024 * 1024)
    .default(16 * 1024),
  /**
   * Where the service reports its unhandled errors (errors/error-reporting.ts), as a Sentry DSN
   * `http(s)://<public key>@<host>/<project id>`; unset or empty, nothing is reported.
   */
  SENTRY_DSN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(
        /^https?:\/\/[A-Za-z0-9]+@[^\s/@]+(\/[^\s@]*)?\/\d+$/,
        'must be a Sentry DSN: http(s)://<public key>@<host>/<project id>',
      )
      .optional(),
  ),
  /** Time between readiness turning 503 on SIGTERM and the start of the drain (endpoints catch up). */
  SHUTDOWN_DRAIN_MS: millis.default(0),
  /** Hard limit for the whole shutdown; past it the process exits 1. */
  SHUTDOWN_GRACE_MS: millis.min(1000).default(25000),
  ...redactionConfigShape,
});

export type PlatformConfig = z.infer<typeof platformConfigSchema> & { PORT: number };

const DEVELOPMENT_ENVIRONMENTS = ['development', 'test'];

/** Variables that used to hold API keys: set, they would be ignored silently, so boot refuses them. */
const RETIRED_VARIABLES: Record<string, string> = {
  HEALTH_API_KEY: 'is no longer read: give a key scope health:detailed in API_KEYS (SECURITY.md, "API keys")',
  AUDIT_API_KEYS: 'is no longer read: move the keys to API_KEYS as scrypt hashes (SECURITY.md, "API keys")',
};

/**
 * Validates the environment once at boot. The first problem becomes a ConfigError whose message is
 * the single line the bootstrap prints before exiting non-zero.
 */
export function loadConfig<S extends z.ZodType<z.infer<typeof platformConfigSchema>>>(
  schema: S,
  env: Record<string, string | undefined>,
  defaultPort: number,
): z.infer<S> & { PORT: number } {
  for (const [variable, problem] of Object.entries(RETIRED_VARIABLES)) {
    if (env[variable] !== undefined) throw new ConfigError(variable, problem);
  }
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue.path.map(String).join('.') || '(environment)';
    const received = typeof env[variable] === 'string' ? ` (got "${truncate(env[variable])}")` : '';
    const problem =
      issue.code === 'invalid_type' && env[variable] === undefined ? 'is required' : issue.message;
    throw new ConfigError(variable, `${problem}${received}`);
  }
  const config = result.data;
  if (config.OIDC_JWKS_URL !== undefined) {
    for (const variable of ['OIDC_ISSUER', 'OIDC_AUDIENCE'] as const) {
      if (config[variable] === undefined) throw new ConfigError(variable, 'is required with OIDC_JWKS_URL');
    }
  }
  const noCredentials = config.API_KEYS.length === 0 && config.OIDC_JWKS_URL === undefined;
  if (noCredentials && !DEVELOPMENT_ENVIRONMENTS.includes(config.ENVIRONMENT)) {
    throw new ConfigError(
      'API_KEYS',
      `is required when ENVIRONMENT is "${config.ENVIRONMENT}" (only development and test may run without API keys or OIDC_JWKS_URL)`,
    );
  }
  // Checked here so that a bad policy stops boot like any other variable; the bootstrap applies it.
  redactionPolicyOf(config);
  return { ...config, PORT: config.PORT ?? defaultPort };
}

/** Reads the process environment: the only place in the code base that does. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}

function truncate(value: string | undefined): string {
  const text = value ?? '';
  // Values may be secrets: show only enough to recognise the typo.
  return text.length > 24 ? `${text.slice(0, 8)}…` : text;
}
