import { z } from 'zod';

/** Default ports of the four services (ARCHITECTURE.md); k8s/ and the dev runner use the same table. */
export const SERVICE_PORTS = { health: 3001, audit: 3002, alerting: 3003, reporting: 3004 } as const;
export type ServiceName = keyof typeof SERVICE_PORTS;
/** Management (probe) ports k8s/ gives each service: its HTTP port + 1000 (MANAGEMENT_PORT). */
export const MANAGEMENT_PORTS = { health: 4001, audit: 4002, alerting: 4003, reporting: 4004 } as const;

const PORT_MESSAGE = 'must be a port number from 1 to 65535';
const port = z.coerce
  .number({ error: PORT_MESSAGE })
  .int(PORT_MESSAGE)
  .min(1, PORT_MESSAGE)
  .max(65535, PORT_MESSAGE);
const millis = z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0);

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
  /** When set, /health/detailed requires `x-api-key` with this value. */
  HEALTH_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Time between readiness turning 503 on SIGTERM and the start of the drain (endpoints catch up). */
  SHUTDOWN_DRAIN_MS: millis.default(0),
  /** Hard limit for the whole shutdown; past it the process exits 1. */
  SHUTDOWN_GRACE_MS: millis.min(1000).default(25000),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema> & { PORT: number };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`invalid configuration: ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once at boot. The first problem becomes a ConfigError whose message is
 * the single line the bootstrap prints before exiting non-zero.
 */
export function loadConfig<S extends z.ZodType<z.infer<typeof platformConfigSchema>>>(
  schema: S,
  env: Record<string, string | undefined>,
  defaultPort: number,
): z.infer<S> & { PORT: number } {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue.path.map(String).join('.') || '(environment)';
    const received = typeof env[variable] === 'string' ? ` (got "${truncate(env[variable])}")` : '';
    const problem =
      issue.code === 'invalid_type' && env[variable] === undefined ? 'is required' : issue.message;
    throw new ConfigError(variable, `${problem}${received}`);
  }
  return { ...result.data, PORT: result.data.PORT ?? defaultPort };
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
