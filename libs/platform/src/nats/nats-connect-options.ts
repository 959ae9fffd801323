import { ConfigError } from '../config/platform-config';

/** The inbox prefix of a client that connects without a user (development, tests): NATS' default. */
export const DEFAULT_INBOX_PREFIX = '_INBOX';

export interface NatsConnectOptions {
  /** The server URL without credentials (safe to log). */
  servers: string;
  user?: string;
  pass?: string;
  /** Where replies, JetStream acks and pull deliveries for this client arrive: `_INBOX_<user>` per user. */
  inboxPrefix: string;
}

/**
 * The inbox prefix of a NATS user: `_INBOX_<user>`. k8s/base/nats-auth.conf lets each user subscribe only to
 * its own `_INBOX_<user>.>`, so no service can read another one's replies or JetStream deliveries.
 */
export function inboxPrefixOf(user: string | undefined): string {
  return user ? `${DEFAULT_INBOX_PREFIX}_${user}` : DEFAULT_INBOX_PREFIX;
}

/**
 * Connect options from NATS_URL: nats.js v3 ignores `user:pass@` in a server URL, so they are passed as
 * options and the URL is returned bare; the inbox prefix follows the user.
 */
export function natsConnectOptions(natsUrl: string): NatsConnectOptions {
  const url = new URL(natsUrl);
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const pass = url.username ? decodeURIComponent(url.password) : undefined;
  // The user becomes one subject token of the inbox prefix.
  if (user !== undefined && !/^[A-Za-z0-9_-]+$/.test(user))
    throw new ConfigError('NATS_URL', 'the user name may hold only letters, digits, "_" and "-"');
  url.username = '';
  url.password = '';
  return {
    servers: url.toString().replace(/\/$/, ''),
    ...(user !== undefined ? { user, pass } : {}),
    inboxPrefix: inboxPrefixOf(user),
  };
}
