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
  // secrets (detectors/secrets.ts)
  'gitlab_token',
  'openai_key',
  'anthropic_key',
  'google_api_key',
  'google_oauth_token',
  'sendgrid_key',
  'twilio_key',
  'mailgun_key',
  'mailchimp_key',
  'npm_token',
  'pypi_token',
  'docker_token',
  'heroku_key',
  'digitalocean_token',
  'shopify_token',
  'square_token',
  'paypal_braintree_token',
  'discord_token',
  'telegram_bot_token',
  'hashicorp_token',
  'databricks_token',
  'linear_key',
  'atlassian_token',
  'new_relic_key',
  'datadog_key',
  'sentry_token',
  'huggingface_token',
  'grafana_token',
  'django_secret_key',
  'provider_token',
  'azure_storage_key',
  'azure_sas_token',
  'azure_client_secret',
  'teams_webhook',
  // personal data (src/detectors/identity.ts)
  'crypto_wallet',
  'us_itin',
  'passport',
  'driver_license',
  'account_number',
  'national_id',
  'uk_nhs',
  'uk_nino',
  'in_pan',
  'in_aadhaar',
  'sg_nric',
  'au_tfn',
  'au_abn',
  'au_acn',
  'au_medicare',
  'es_nif',
  'es_nie',
  'it_fiscal_code',
  'fi_hetu',
  'kr_rrn',
  'medical_license',
  'date_of_birth',
  'name',
  'user_path',
  // one-time codes in messages (src/detectors/context-numbers.ts)
  'one_time_code',
  'link_token',
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
