import { hashApiKey } from '@vigil/platform';

/** The bearer key the reporting tests call the API with (scope reports:run). */
export const REPORTS_KEY = 'reporting-test-key-0123456789abcdef';

/** API_KEYS for a reporting service under test: one key with scopes reports:run and health:detailed (cheap scrypt for speed). */
export function reportingApiKeys(): string {
  return JSON.stringify([
    {
      name: 'reporting-test',
      hash: hashApiKey(REPORTS_KEY, { N: 1024 }),
      scopes: ['reports:run', 'health:detailed'],
    },
  ]);
}

export const bearer = { authorization: `Bearer ${REPORTS_KEY}` };
