import { z } from 'zod';

import { platformConfigSchema } from '@vigil/platform';

const serviceUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(fallback)
    .transform((value) => value.replace(/\/+$/, ''));

export const consoleConfigSchema = platformConfigSchema.extend({
  /** Base URLs of the services the console calls with the signed-in person's own key or token. */
  HEALTH_URL: serviceUrl('http://127.0.0.1:3001'),
  AUDIT_URL: serviceUrl('http://127.0.0.1:3002'),
  ALERTING_URL: serviceUrl('http://127.0.0.1:3003'),
  REPORTING_URL: serviceUrl('http://127.0.0.1:3004'),
  ERRORS_URL: serviceUrl('http://127.0.0.1:3005'),
  /** How long a call to a service may take before the page says that service is unavailable. */
  CONSOLE_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** A session ends this long after login, whatever happens. */
  CONSOLE_SESSION_TTL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .max(7 * 86_400_000)
    .default(8 * 3_600_000),
  /** ...and after this long without a request. */
  CONSOLE_SESSION_IDLE_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .max(86_400_000)
    .default(30 * 60_000),
  /**
   * 32 bytes (base64 or 64 hex digits) that encrypt the person's key or token inside the session row. Unset:
   * a random key per process (development: sessions end at restart and replicas cannot share them).
   */
  CONSOLE_SESSION_KEY: z
    .string()
    .refine((value) => decodeKey(value) !== null, 'must be 32 bytes as base64 or 64 hex digits')
    .optional(),
  /**
   * The console's address as the browser sees it. Cookies are `Secure` when it is https; OIDC's redirect_uri
   * is built from it.
   */
  CONSOLE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('http://127.0.0.1:3000')
    .transform((value) => value.replace(/\/+$/, '')),
  /**
   * OIDC sign-in (src/auth/oidc-*.ts): set, the login page offers "Sign in with <issuer>" (authorization code
   * with PKCE) against OIDC_ISSUER's discovery document. The services verify the resulting access token with
   * the platform's OIDC_ISSUER / OIDC_AUDIENCE / OIDC_JWKS_URL.
   */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** A confidential client's secret (HTTP Basic at the token endpoint); unset: a public client (PKCE only). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes asked for at the issuer; must include openid. */
  OIDC_SCOPES: z
    .string()
    .default('openid profile email')
    .refine((value) => value.split(/\s+/).includes('openid'), 'must include openid'),
});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema> & { PORT: number };

/** The services the console calls, by the name its pages use. */
export type UpstreamName = 'health' | 'audit' | 'alerting' | 'reporting' | 'errors';
export const UPSTREAMS: readonly UpstreamName[] = ['health', 'audit', 'alerting', 'reporting', 'errors'];

export function upstreamUrl(config: ConsoleConfig, service: UpstreamName): string {
  const urls: Record<UpstreamName, string> = {
    health: config.HEALTH_URL,
    audit: config.AUDIT_URL,
    alerting: config.ALERTING_URL,
    reporting: config.REPORTING_URL,
    errors: config.ERRORS_URL,
  };
  return urls[service];
}

/** 32 key bytes from base64 or hex, or null when the value is neither. */
export function decodeKey(value: string): Buffer | null {
  const trimmed = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  return bytes.length === 32 ? bytes : null;
}
