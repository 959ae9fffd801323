import { isMarker } from '../markers';
import type { Replacer } from '../strategies';
import type { StringFacts } from '../string-facts';
import type { Detector } from '../value-detectors';
import { dotnetAddDetector, kubernetesSecretValues } from './config-files';
import { adoPasswordDetector, azureDetector, urlPasswordDetector } from './connection-strings';
import { KEYWORD_KINDS, keywordAssignments } from './keyword-assignments';
import {
  PROVIDER_PREFIX,
  PROVIDER_TOKEN_KINDS,
  providerTokenKind,
  providerTokenPattern,
} from './provider-tokens';

export { SECRET_ENTITY_DOCS } from './secret-docs';

/**
 * Secrets: provider credentials, private keys, connection-string passwords, webhook URLs, and values
 * of secret-looking names in assignments. The coverage anchors are gitleaks' default rule set and
 * detect-secrets' plugins.
 */

/**
 * Bits of `builtInCandidates` that this family owns (value-detectors.ts keeps its own bits off these).
 * Each is set by `secretCandidates` from the cheapest test the family's detectors cannot match without.
 */
export const SecretBit = {
  PRIVATE_KEY: 1 << 0,
  URL_PASSWORD: 1 << 2,
  PROVIDER_TOKEN: 1 << 3,
  KEYWORD: 1 << 4,
  WEBHOOK: 1 << 5,
  PASSWORD_HASH: 1 << 16,
} as const;

// Password hashes by shape, under any name (`old_hash=…`, a row of `auth_user`): Django's
// `<algorithm>$…` encodings (pbkdf2_sha256, argon2, bcrypt_sha256, scrypt, salted `sha1$`/`md5$`);
// Werkzeug's (Flask) `pbkdf2:sha256:600000$…` and `scrypt:32768:8:1$…`; the modular crypt format of
// bcrypt (`$2b$12$…`), Argon2 (`$argon2id$v=19$…`) and crypt(3) (`$1$`, `$5$`, `$6$`,
// yescrypt `$y$`, scrypt `$7$`). A hash lets an attacker guess the password offline, as in
// gitleaks' and Sentry Relay's treatment of password fields. Bounded runs: one read per start.
const PASSWORD_HASH =
  /(?<![\w$])(?:(?:pbkdf2_sha256|pbkdf2_sha1|bcrypt_sha256|bcrypt|argon2|scrypt)\$[\w$./+=,-]{16,300}|(?:pbkdf2:sha\d{1,3}(?::\d{1,9})?|scrypt:\d{1,9}:\d{1,3}:\d{1,3})\$[A-Za-z0-9]{1,64}\$[0-9a-f]{32,256}|(?:sha1\$[A-Za-z0-9]{1,64}\$[0-9a-f]{40}|md5\$[A-Za-z0-9]{1,64}\$[0-9a-f]{32})(?![0-9a-f])|\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}|\$argon2(?:id|i|d)\$[\w$./+=,-]{16,300}|\$(?:[156y7]|gy)\$(?:rounds=\d{1,9}\$)?[./A-Za-z0-9]{1,64}\$[./A-Za-z0-9]{22,128})/g;
const PASSWORD_HASH_HINT =
  /\$(?:2[abxy]?|argon2\w{1,2}|[156y7]|gy)\$|(?:pbkdf2|bcrypt|argon2|scrypt)[\w:]{0,32}\$|(?:sha1|md5)\$/;

// Words the keyword detectors need one of: a secret word, or the name of a connection-string field;
// `auth` only as the end of a name before its operator (`_auth=`), not in `author` or `OAuth`.
const SECRET_HINT = /pass|pwd|secret|token|key|cred|sig=|auth\W{0,4}[:=]/i;

// Every provider token holds a run of at least this many `[A-Za-z0-9_-]` characters (its body).
const TOKEN_RUN = 16;

const isHexOrDash = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || c === 45;

/**
 * Whether `s` has a run of `TOKEN_RUN` token characters with one that is not a hex digit or `-`: a
 * loop over character codes, far cheaper than the prefix regex, which then runs only on the few
 * strings that have one. Words, paths, numbers and addresses have no such run; hex ids, digests,
 * UUIDs and hex bearer tokens have one of hex digits only, which no prefix is made of.
 */
function hasTokenRun(s: string): boolean {
  let run = 0;
  let other = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHexOrDash(c)) run++;
    else if ((c >= 103 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      run++;
      other = true;
    } else {
      run = 0;
      other = false;
      continue;
    }
    if (other && run >= TOKEN_RUN) return true;
  }
  return false;
}

/** Which secret detectors may find something in `s` (bits of `SecretBit`). */
export function secretCandidates(s: string, f: StringFacts): number {
  const length = s.length;
  let bits = 0;
  if (f.upper >= 10 && (s.includes('PRIVATE KEY') || s.includes('PuTTY-User-Key-File')))
    bits |= SecretBit.PRIVATE_KEY;
  if (f.at && f.colons > 0 && (s.includes('://') || s.includes('jdbc:oracle')))
    bits |= SecretBit.URL_PASSWORD;
  if (length >= 20 && f.base64Run >= TOKEN_RUN && hasTokenRun(s) && PROVIDER_PREFIX.test(s))
    bits |= SecretBit.PROVIDER_TOKEN;
  if (length >= 8 && (f.keyValue || f.space) && SECRET_HINT.test(s)) bits |= SecretBit.KEYWORD;
  if (length >= 40 && f.lower >= 4 && s.includes('hook')) bits |= SecretBit.WEBHOOK;
  if (length >= 20 && s.includes('$') && PASSWORD_HASH_HINT.test(s)) bits |= SecretBit.PASSWORD_HASH;
  return bits;
}

// Line breaks around a PEM body, real or escaped inside JSON and string literals (`\n`, `\r\n`).
const isPemSpace = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  if (c === 10 || c === 13 || c === 32 || c === 9) return 1;
  return c === 92 && (s[i + 1] === 'n' || s[i + 1] === 'r') ? 2 : 0;
};

/**
 * A PEM block (`m[1]` BEGIN line, `m[2]` body, `m[3]` END line or nothing when cut) with its body
 * replaced and the line breaks around it kept; a body that is already a marker is left alone.
 */
function pemWithoutBody(m: RegExpExecArray, replacer: Replacer): string {
  const body = m[2];
  let start = 0;
  for (let n = isPemSpace(body, start); n > 0; n = isPemSpace(body, start)) start += n;
  let end = body.length;
  while (end > start) {
    const c = body.charCodeAt(end - 1);
    if (c === 10 || c === 13 || c === 32 || c === 9) end--;
    else if ((c === 110 || c === 114) && body.charCodeAt(end - 2) === 92) end -= 2;
    else break;
  }
  const core = body.slice(start, end);
  if (core === '' || isMarker(core)) return m[0];
  return `${m[1]}${body.slice(0, start)}${replacer.value('private_key', core)}${body.slice(end)}${m[3]}`;
}

/** The secret detectors, most specific first (a provider token before the name it is assigned to). */
export function secretDetectors(replacer: Replacer): Detector[] {
  return [
    {
      rule: 'private-key',
      kinds: ['private_key'],
      bit: SecretBit.PRIVATE_KEY,
      // PEM (PKCS#1, PKCS#8, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK), SSH2's `---- BEGIN SSH2 ...`
      // and PuTTY key files, to the END line or, when the text was cut, to its end. Inside JSON the
      // newlines are `\n` escapes, which this spans as well. `PUBLIC KEY` and `CERTIFICATE` stay.
      // Of a PEM block only the body goes: its BEGIN and END lines say what was there and hold nothing.
      pattern:
        /(-{4,5} ?BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5})([\s\S]*?)(-{4,5} ?END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}|$)|PuTTY-User-Key-File-\d: [\s\S]*?(?:Private-MAC: [0-9a-fA-F]{0,128}|$)/g,
      replace: (m) =>
        m[1] === undefined ? replacer.value('private_key', m[0]) : pemWithoutBody(m, replacer),
    },
    {
      rule: 'password-hash',
      kinds: ['secret'],
      bit: SecretBit.PASSWORD_HASH,
      pattern: PASSWORD_HASH,
      replace: (m) => replacer.value('secret', m[0]),
    },
    // A token before the URL password it may be (`https://x-access-token:ghp_…@github.com`).
    providerTokens(replacer),
    urlPasswordDetector(SecretBit.URL_PASSWORD, replacer),
    webhookUrls(replacer),
    {
      rule: 'aws-secret-key',
      kinds: ['aws_secret_key'],
      bit: SecretBit.KEYWORD,
      gate: (input) => input.length >= 50 && AWS_SECRET_NEAR.test(input),
      // The secret access key is 40 base64 characters, found only next to its name: alone it is any digest.
      pattern: /((?:aws_?)?secret_?(?:access_?)?key)([\\"'\s:=]{1,8})([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
      replace: (m) => m[1] + m[2] + replacer.value('aws_secret_key', m[3]),
    },
    azureDetector(SecretBit.KEYWORD, replacer),
    adoPasswordDetector(SecretBit.KEYWORD, replacer),
    dotnetAddDetector(SecretBit.KEYWORD, replacer),
    {
      rule: 'kubernetes-secret',
      kinds: ['secret'],
      bit: SecretBit.KEYWORD,
      run: kubernetesSecretValues(replacer),
    },
    {
      rule: 'keyword-assignment',
      kinds: KEYWORD_KINDS,
      bit: SecretBit.KEYWORD,
      run: keywordAssignments(replacer),
    },
  ];
}
const AWS_SECRET_NEAR = /secret_?access|aws_?secret/i;

function providerTokens(replacer: Replacer): Detector {
  return {
    rule: 'provider-token',
    kinds: [...new Set(PROVIDER_TOKEN_KINDS)],
    bit: SecretBit.PROVIDER_TOKEN,
    pattern: providerTokenPattern(),
    replace(m, input) {
      const kind = providerTokenKind(m);
      // Mailgun's `key-…` is the only format whose prefix says little: it needs the provider's name.
      if (kind === 'mailgun_key' && !namesMailgun(input)) return undefined;
      return replacer.value(kind, m[0]);
    },
  };
}

const MAILGUN = /mailgun/i;
// Whether the input names Mailgun, remembered for the input of the scan under way: a text of many
// `key-…` runs is read once, not once per run.
let mailgunInput: string | undefined;
let mailgunNamed = false;
function namesMailgun(input: string): boolean {
  if (input !== mailgunInput) {
    mailgunInput = input;
    mailgunNamed = MAILGUN.test(input);
  }
  return mailgunNamed;
}

/** Webhook URLs whose path is the credential: the host and fixed path stay, the token goes. */
function webhookUrls(replacer: Replacer): Detector {
  return {
    rule: 'webhook-url',
    kinds: ['slack_webhook', 'discord_token', 'teams_webhook'],
    bit: SecretBit.WEBHOOK,
    // gitleaks slack-webhook-url, discord (webhooks), microsoft-teams-webhook
    pattern:
      /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)([A-Za-z0-9_/+-]{10,256})|(discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/)([\w-]{20,128})|(\.webhook\.office\.com\/webhookb2\/)([^\s"'<>]{20,512})/g,
    replace(m) {
      if (m[1] !== undefined) return m[1] + replacer.value('slack_webhook', m[2]);
      if (m[3] !== undefined) return m[3] + replacer.value('discord_token', m[4]);
      return m[5] + replacer.value('teams_webhook', m[6]);
    },
  };
}
