/** Entities found by looking at values (inside any string). */
export const VALUE_KINDS = [
  'email',
  'phone',
  'card',
  'ssn',
  'iban',
  'ipv4',
  'ipv6',
  'jwt',
  'bearer_token',
  'basic_auth',
  'url_password',
  'private_key',
  'aws_access_key',
  'aws_secret_key',
  'github_token',
  'slack_token',
  'slack_webhook',
  'stripe_key',
  'user_path',
] as const;

/** Entities found by key name (object keys, `key=value` and `"key":"value"` inside strings). */
export const KEY_KINDS = [
  'secret',
  'email',
  'phone',
  'card',
  'national_id',
  'account_number',
  'name',
  'date_of_birth',
  'emergency_contact',
] as const;

export type ValueKind = (typeof VALUE_KINDS)[number];
export type KeyKind = (typeof KEY_KINDS)[number];
/** A built-in entity; custom rules add their own kinds. */
export type EntityKind = ValueKind | KeyKind;

/**
 * - `remove`: the value becomes a marker (`[REDACTED]` for a key match, `[REDACTED:<kind>]` for a value match);
 * - `mask`: `****` and the last 4 letters or digits (values with fewer than 8 become a marker);
 * - `hash`: `[HASH:<kind>:<16 letters>]`, an HMAC-SHA256 with the policy's `hashKey`, stable across events.
 */
export const STRATEGIES = ['remove', 'mask', 'hash'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const BUILT_IN_KINDS: ReadonlySet<string> = new Set<string>([...VALUE_KINDS, ...KEY_KINDS]);
