import type { RedactionPolicy } from '@vigil/redaction';

/**
 * Key names that mean personal data in error events though not in a log line: a frame's locals and a
 * request body name their values the way the app's code does (`def charge(account, holder)`,
 * `{"account": "123456789012", "holder": "…"}`), and our requirements' DO-NOT list (wallet account
 * numbers, real names, emergency contacts) must hold there even when the app's `before_send` forgot.
 */
export const SENTRY_EVENT_EXTRA_KEYS: Readonly<Record<string, string>> = {
  account: 'account_number',
  'account no': 'account_number',
  wallet: 'account_number',
  holder: 'name',
  'holder name': 'name',
  beneficiary: 'name',
  nominee: 'name',
  'emergency contact': 'emergency_contact',
};

/**
 * The policy a project's events are scrubbed with: its own (strategies, hash key, rules...) plus
 * `SENTRY_EVENT_EXTRA_KEYS`; a phrase the project lists in `allowKeys` stays allowed.
 */
export function sentryEventRedactionPolicy(policy: RedactionPolicy = {}): RedactionPolicy {
  const own = policy.extraKeys;
  const ownKeys: Record<string, string> = Array.isArray(own)
    ? Object.fromEntries((own as readonly string[]).map((phrase) => [phrase, 'secret']))
    : { ...(own as Readonly<Record<string, string>> | undefined) };
  const allowed = new Set((policy.allowKeys ?? []).map((phrase) => phrase.toLowerCase()));
  const extra = Object.fromEntries(
    Object.entries(SENTRY_EVENT_EXTRA_KEYS).filter(([phrase]) => !allowed.has(phrase)),
  );
  return { ...policy, extraKeys: { ...extra, ...ownKeys } };
}
