import { z } from 'zod';

import { auditSourceSchema } from '@vigil/contracts';

import { parseApiKeyHash, type ApiKeyHash } from './api-key-hash';
import { API_SCOPES, type ApiScope } from './api-scopes';

/**
 * One configured API key: its name (the actor in logs and audit events), scrypt hash, scopes and,
 * optionally, its own write rate limit (`write_rate_per_s` 0: none, e.g. for Prometheus) and its
 * `prefix`: the key's first characters, a public identifier (`vgl_` and 8 random characters of a key
 * `pnpm vigil-keyhash` made) that lets a token be checked against its own hash only, and a token
 * matching no key's prefix be refused without hashing (ApiKeyVerifier). A key with scope `audit:publish`
 * names the `sources` it may publish audit events as (`["shop","profile"]`, or `["*"]` for any).
 */
export interface ApiKeyEntry {
  name: string;
  hash: ApiKeyHash;
  scopes: ApiScope[];
  prefix?: string;
  write_rate_per_s?: number;
  write_burst?: number;
  sources?: string[];
}

/** In a key's `sources`: it may publish audit events as any source (a development key, a relay). */
export const ANY_SOURCE = '*';

const FORMAT = 'must be a JSON array of {"name","hash":"scrypt$N$r$p$salt$hash","scopes":[...]}';

const entrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'name must be 1-64 of [A-Za-z0-9._-]'),
  hash: z.string().transform((text, ctx) => {
    try {
      return parseApiKeyHash(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `hash ${(error as Error).message}` });
      return z.NEVER;
    }
  }),
  // At most 16 characters: the rest of a 32-byte key stays secret (vgl_ + 8 characters reveal 48 of its 256 bits).
  prefix: z
    .string()
    .regex(/^[\x21-\x7e]{8,16}$/, 'prefix must be the first 8-16 characters of the key (printable ASCII)')
    .optional(),
  scopes: z.array(z.enum(API_SCOPES, { error: `scopes must be among ${API_SCOPES.join(', ')}` })),
  write_rate_per_s: z.number({ error: 'write_rate_per_s must be a number' }).min(0).optional(),
  write_burst: z.number({ error: 'write_burst must be a whole number' }).int().min(1).optional(),
  sources: z
    .array(z.union([z.literal(ANY_SOURCE), auditSourceSchema]), {
      error: `sources must be an array of source names, or ["${ANY_SOURCE}"]`,
    })
    .min(1, 'sources must name at least one source')
    .optional(),
});

/**
 * `sources` binds a key of scope audit:publish to the sources it may publish as. It is required with
 * that scope, so that a publishing key never speaks for every service by omission, and meaningless
 * without it, so it is refused there too (a typo in the scopes would otherwise go unnoticed).
 */
function checkSources(entry: z.infer<typeof entrySchema>, ctx: z.RefinementCtx): void {
  const publishes = entry.scopes.includes('audit:publish');
  const problem =
    publishes && entry.sources === undefined
      ? `key "${entry.name}" has scope audit:publish but no "sources" (list them, or ["${ANY_SOURCE}"] for any)`
      : !publishes && entry.sources !== undefined
        ? `key "${entry.name}" has "sources" but not scope audit:publish`
        : entry.sources?.includes(ANY_SOURCE) && entry.sources.length > 1
          ? `key "${entry.name}": "${ANY_SOURCE}" in sources stands alone (it already allows every source)`
          : null;
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['sources'] });
}

/**
 * `API_KEYS`: the bearer keys this service accepts, as hashes. Several may hold the same scopes, so a
 * key is rotated by adding the new hash beside the old one and removing the old one later.
 */
export const apiKeysSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: FORMAT });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(entrySchema.superRefine(checkSources), { error: FORMAT }).superRefine((entries, ctx) => {
      const names = new Set<string>();
      for (const entry of entries) {
        if (names.has(entry.name))
          ctx.addIssue({ code: 'custom', message: `duplicate key name "${entry.name}"` });
        names.add(entry.name);
      }
    }),
  );
