import { KEY_KINDS, VALUE_KINDS } from './entities';
import type { EntityDoc } from './entity-docs';
import { IDENTITY_ENTITY_DOCS } from './detectors/identity';
import { SECRET_ENTITY_DOCS } from './detectors/secrets';
import { SURFACE_ENTITY_DOCS } from './surfaces/surface-docs';

/**
 * The entities of the first detectors (src/value-detectors.ts, the key phrases of src/sensitive-keys.ts).
 * A detector family that documents a kind again in its own list replaces the entry here.
 */
export const CORE_ENTITY_DOCS: readonly EntityDoc[] = [
  {
    kind: 'secret',
    name: 'secret',
    detection:
      'key: password, passphrase, passwd, pwd, passcode, secret, token (access/refresh/id/session/auth), session id, api key, access key, private/signing/encryption key, app/application/license/sdk key, secret key base, private key id, authorization, auth, credentials, cookie(s), set-cookie, otp, totp, one-time code/password, verification/mfa code, pin, cvv, cvv2, cvc, security code, subscription key, security token, requirepass, amz/goog signature, and these words in about 30 languages (contraseña, Passwort, пароль, 密码, পাসওয়ার্ড, …); header lines `Authorization:` (the scheme word stays), `Cookie:`/`Set-Cookie:` (only sensitive cookies go), `x-api-key:`; command-line credentials (`-u user:pass`, `--password=`, `mysql -p…`, `redis-cli -a`); HTML password inputs; password hashes by shape under any key (`pbkdf2_sha256$…`, `$2b$…`, `$argon2id$…`, `pbkdf2:sha256:…$`)',
    guard:
      'whole words of the key: `author`, `max_tokens`, `token_type`, `password_changed_at`, `secret_name` are kept; bare `true`/`false`/`null`/`None`, variables (`$DB_PASSWORD`, `{{ secret }}`), dotted Python paths, file paths (`/var/secrets/key.json`), paging tokens (`next_page_token`) and masked values (`****`, `01770***342`) are not secrets',
    strategy: 'remove',
    anchors: ['relay', 'detect-secrets'],
  },
  {
    kind: 'national_id',
    name: 'national id',
    detection:
      'key: ssn, social security number, tax id/number, tin, national id (number), nid, passport (number)',
    guard: '—',
    strategy: 'remove',
    anchors: ['presidio', 'vigil'],
  },
  {
    kind: 'card',
    name: 'card number',
    detection:
      'key: card number, credit/debit card; value: 13–19 digits, spaces or dashes allowed, first digit 2–6',
    guard: 'Luhn check',
    strategy: 'remove',
    anchors: ['presidio', 'relay'],
  },
  {
    kind: 'account_number',
    name: 'account number',
    detection:
      'key: account number, bank account, wallet number/account, iban, bkash/nagad (number), rocket number',
    guard: '—',
    strategy: 'remove',
    anchors: ['presidio', 'vigil'],
  },
  {
    kind: 'phone',
    name: 'phone',
    detection:
      'key: phone (number), mobile number, telephone, msisdn; value: E.164 `+<8–15 digits>` with separators, `(415) 555-2671`, `415-555-2671`, `415.555.2671`, Bangladesh `01[3-9]…` (11 digits), trunk-0 national `020 7946 0958`',
    guard: 'a digit count for E.164; dates, epochs, versions and bare digit runs do not match the shapes',
    strategy: 'remove',
    anchors: ['presidio', 'vigil'],
  },
  {
    kind: 'email',
    name: 'e-mail',
    detection: 'key: email (address); value: `local@domain.tld`, also `%40` and twice-encoded `%2540`',
    guard:
      'needs a dotted domain with a letter TLD (`user@localhost`, `zod@4.6.7` are kept); URL users (Sentry DSN keys), scp remotes (`git@github.com:org/repo.git`) and Message-IDs (`<uuid@host>`) are kept',
    strategy: 'remove',
    anchors: ['presidio', 'relay'],
  },
  {
    kind: 'name',
    name: 'real name',
    detection: 'key: full/real/legal/first/last name, surname',
    guard: '`name`, `username`, `display_name` are kept',
    strategy: 'remove',
    anchors: ['presidio'],
  },
  {
    kind: 'date_of_birth',
    name: 'date of birth',
    detection: 'key: date of birth, birth date, birthday, dob',
    guard: '—',
    strategy: 'remove',
    anchors: ['presidio'],
  },
  {
    kind: 'emergency_contact',
    name: 'emergency contact',
    detection: 'key: emergency contact (name)',
    guard: '—',
    strategy: 'remove',
    anchors: ['vigil'],
  },
  {
    kind: 'ssn',
    name: 'US SSN',
    detection: 'value: `123-45-6789` or `123 45 6789`',
    guard: 'area not 000, 666 or 900–999; group not 00; serial not 0000',
    strategy: 'remove',
    anchors: ['presidio', 'relay'],
  },
  {
    kind: 'iban',
    name: 'IBAN',
    detection: 'value: 2 letters, 2 digits, 11–30 alphanumerics, grouped by 4 or not',
    guard: 'ISO 13616 mod 97',
    strategy: 'remove',
    anchors: ['presidio', 'relay'],
  },
  {
    kind: 'ipv4',
    name: 'IPv4 address',
    detection: 'value: dotted quad 0–255',
    guard:
      'not after `v`/`version`/a `Name/` (user agents), not part of 5+ dotted numbers; loopback `127.*`, `0.0.0.0` kept',
    strategy: 'remove',
    anchors: ['presidio', 'relay'],
  },
  {
    kind: 'ipv6',
    name: 'IPv6 address',
    detection: 'value: hex groups with `:`, `::` compression, IPv4-mapped',
    guard: '`net.isIPv6`, must contain a digit; `::`, `::1` kept; times and MAC addresses do not parse',
    strategy: 'remove',
    anchors: ['presidio', 'relay'],
  },
  {
    kind: 'jwt',
    name: 'JWT',
    detection: 'value: `eyJ….….…` (three base64url segments)',
    guard: 'header of 4+ and payload of 2+ characters',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
  {
    kind: 'bearer_token',
    name: 'Bearer credentials',
    detection: 'value: `Bearer <token>` (the scheme word is kept)',
    guard: 'token has a digit or is 24+ mixed-case chars (`the bearer of bad news` is kept)',
    strategy: 'remove',
    anchors: ['relay'],
  },
  {
    kind: 'basic_auth',
    name: 'Basic credentials',
    detection: 'value: `Basic <base64>`',
    guard: 'decodes to printable `user:password`',
    strategy: 'remove',
    anchors: ['relay', 'detect-secrets'],
  },
  {
    kind: 'url_password',
    name: 'URL password',
    detection:
      'value: the password of `scheme://user:password@host` (marker `[REDACTED]`, the URL keeps its shape)',
    guard: 'a marker already in place is left alone',
    strategy: 'remove',
    anchors: ['relay', 'detect-secrets'],
  },
  {
    kind: 'private_key',
    name: 'private key',
    detection: 'value: `-----BEGIN … PRIVATE KEY-----` to its END line (or to the end of a truncated string)',
    guard: 'public keys and certificates have no `PRIVATE KEY` line',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets', 'relay'],
  },
  {
    kind: 'aws_access_key',
    name: 'AWS access key id',
    detection: 'value: `AKIA`/`ASIA`/`AGPA`/`AIDA`/`AROA`/`AIPA`/`ANPA`/`ANVA` + 16 capitals or digits',
    guard: 'whole word only',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
  {
    kind: 'aws_secret_key',
    name: 'AWS secret access key',
    detection:
      'value: 40 base64 chars after `aws_secret_access_key` / `secret_access_key` / `aws_secret_key`',
    guard: 'only next to its name (40 random chars alone are not distinguishable from a digest)',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
  {
    kind: 'github_token',
    name: 'GitHub token',
    detection: 'value: `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36+, `github_pat_` + 22+',
    guard: 'whole word only',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
  {
    kind: 'slack_token',
    name: 'Slack token',
    detection: 'value: `xoxb-`/`xoxp-`/`xoxa-`/`xoxo-`/`xoxs-`/`xoxr-` tokens',
    guard: 'whole word only',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
  {
    kind: 'slack_webhook',
    name: 'Slack webhook',
    detection: 'value: the path of `hooks.slack.com/services/…`',
    guard: 'the host stays readable',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
  {
    kind: 'stripe_key',
    name: 'Stripe key',
    detection: 'value: `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, `whsec_`',
    guard: 'publishable `pk_` keys are not secrets',
    strategy: 'remove',
    anchors: ['gitleaks', 'detect-secrets'],
  },
];

/**
 * Every detector family's list, in order: a later list's entry for a kind replaces an earlier one's.
 * Families that document their entities in their own module (`SECRET_ENTITY_DOCS` of
 * src/detectors/secrets.ts, `IDENTITY_ENTITY_DOCS` of src/detectors/identity.ts, `SURFACE_ENTITY_DOCS` of src/surfaces/surface-docs.ts) are added here.
 */
const ENTITY_DOC_LISTS: readonly (readonly EntityDoc[])[] = [
  CORE_ENTITY_DOCS,
  SECRET_ENTITY_DOCS,
  IDENTITY_ENTITY_DOCS,
  SURFACE_ENTITY_DOCS,
];

const KEY_KIND_SET: ReadonlySet<string> = new Set(KEY_KINDS);
const VALUE_KIND_SET: ReadonlySet<string> = new Set(VALUE_KINDS);

/** One entry of the catalog: the entity's doc and where it is met. */
export interface CatalogEntry extends EntityDoc {
  /** `keys` (object keys, header names, `key=value` and `"key":` inside text) and/or `text` (any string). */
  surfaces: readonly string[];
}

/** Every documented entity, one per kind, in the order the lists give them. */
export function entityCatalog(lists: readonly (readonly EntityDoc[])[] = ENTITY_DOC_LISTS): CatalogEntry[] {
  const byKind = new Map<string, EntityDoc>();
  for (const list of lists) for (const doc of list) byKind.set(doc.kind, doc);
  return [...byKind.values()].map((doc) => ({
    ...doc,
    surfaces: [
      ...(KEY_KIND_SET.has(doc.kind) ? ['keys'] : []),
      ...(VALUE_KIND_SET.has(doc.kind) ? ['text'] : []),
    ],
  }));
}

const COLUMNS = [
  'entity (kind)',
  'how it is detected',
  'guard that keeps look-alikes',
  'default',
  'surfaces',
  'anchors',
];

const cell = (text: string): string => text.replace(/\|/g, '\\|');

const ZERO_WIDTH = /[\p{Mn}\p{Me}]/u;
// East Asian wide and fullwidth blocks (Hangul Jamo, CJK, Hangul syllables, compatibility, fullwidth forms).
const isWide = (c: number): boolean =>
  (c >= 0x1100 && c <= 0x115f) ||
  (c >= 0x2e80 && c <= 0xa4cf) ||
  (c >= 0xac00 && c <= 0xd7a3) ||
  (c >= 0xf900 && c <= 0xfaff) ||
  (c >= 0xfe30 && c <= 0xfe4f) ||
  (c >= 0xff00 && c <= 0xff60) ||
  (c >= 0xffe0 && c <= 0xffe6) ||
  c >= 0x20000;

/**
 * The width prettier gives a table cell: Bengali vowel signs and other non-spacing marks take no
 * column, CJK takes two. With `length` the generated table and prettier's disagreed on Bengali rows.
 */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const c = character.codePointAt(0) ?? 0;
    if (c <= 31 || (c >= 127 && c <= 159) || ZERO_WIDTH.test(character)) continue;
    width += isWide(c) ? 2 : 1;
  }
  return width;
}

/** The README's entity table (between its `entity-table` markers), laid out the way prettier lays it out. */
export function renderEntityTable(catalog: readonly CatalogEntry[] = entityCatalog()): string {
  const rows = catalog.map((entry) =>
    [
      `${entry.name} (\`${entry.kind}\`)`,
      entry.detection,
      entry.guard,
      entry.strategy,
      entry.surfaces.join(', '),
      entry.anchors.join(', '),
    ].map(cell),
  );
  const widths = COLUMNS.map((title, i) =>
    Math.max(title.length, 3, ...rows.map((row) => displayWidth(row[i]))),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, i) => text + ' '.repeat(widths[i] - displayWidth(text))).join(' | ')} |`;
  return [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export const ENTITY_TABLE_START =
  '<!-- entity-table: generated from src/entity-catalog.ts by `node tools/redaction/entity-table.mjs --write` -->';
export const ENTITY_TABLE_END = '<!-- entity-table end -->';

/** `readme` with its entity table replaced by `table` (the markers must be there). */
export function withEntityTable(readme: string, table: string = renderEntityTable()): string {
  const start = readme.indexOf(ENTITY_TABLE_START);
  const end = readme.indexOf(ENTITY_TABLE_END);
  if (start === -1 || end < start) throw new Error('README.md has no entity-table markers');
  return `${readme.slice(0, start + ENTITY_TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
