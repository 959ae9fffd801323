import { isMarker } from '../markers';
import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';

/**
 * Passwords inside database, broker and cloud connection strings. Only the credential goes: the
 * scheme, user, host, port and database stay readable.
 */

/**
 * `scheme://user:password@host` for every driver (`postgresql+psycopg2`, `mongodb+srv`, `rediss`,
 * `amqps`, `mssql+pyodbc`, `clickhouse`, `jdbc:mysql`, ...) and Oracle's thin form
 * `jdbc:oracle:thin:user/password@host`. A password may hold `@` (unencoded, as people write them):
 * it runs to the last `@` of the authority (at most three more), which `/` and `?` end; `#` is
 * taken as part of it (`root:Tr0ub4dor#1@db`: unencoded, as people write them). A user has
 * no `[`: `https://[REDACTED:github_token]@host` is a marker, not `user:password`.
 */
export function urlPasswordDetector(bit: number, replacer: Replacer): PatternDetector {
  return {
    rule: 'url-password',
    kinds: ['url_password'],
    bit,
    pattern:
      /\b(?:([a-z][\w+.-]{0,31}:\/\/[^\s:/?#@[\]]{0,256}:)|(jdbc:oracle:[a-z0-9]{1,16}:[^\s/@:]{1,128}\/))([^\s/?@]{1,256}(?:@[^\s/?@]{1,256}){0,3})@/gi,
    replace(m) {
      // Already removed, or masked by the program that wrote it (SQLAlchemy prints `app:***@db`).
      if (isMarker(m[3]) || MASKED.test(m[3])) return undefined;
      return `${m[1] ?? m[2]}${replacer.value('url_password', m[3])}@`;
    },
  };
}

const MASKED = /^(?:\*+|x{3,}|X{3,})$/;

/**
 * ADO.NET and ODBC (`Server=…;User Id=…;Password=my pass;`): the value runs to `;`, spaces included,
 * which the `key=value` pass stops at. Only when it ends at `;`, a quote or the end, and holds no `=`:
 * libpq's `password=x sslmode=require` stays the `key=value` pass's. Only as a field (after `;`, a
 * quote or the start) of a string that has another connection field: code such as
 * `password = randomBytes(16).toString('hex');` is not one.
 */
export function adoPasswordDetector(bit: number, replacer: Replacer): PatternDetector {
  return {
    rule: 'connection-string-password',
    kinds: ['secret'],
    bit,
    gate: (input) => input.includes(';') && ADO_PASSWORD_NEAR.test(input) && ADO_FIELD.test(input),
    pattern: /(?<=(?:^|[;"'])[ \t]{0,4})(password|pwd)([ \t]*=[ \t]*)([^;"'\r\n=]{1,256})(?=;|["'\r\n]|$)/gi,
    replace(m) {
      const value = m[3].trim();
      if (value.length === 0 || isMarker(value)) return undefined;
      return m[1] + m[2] + replacer.keyed('secret', m[3]);
    },
  };
}
const ADO_PASSWORD_NEAR = /password|pwd/i;
// A field every connection string of this form has besides its password.
const ADO_FIELD = /(?:server|data source|host|database|initial catalog|driver|dsn|uid|user id)[ \t]*=/i;

/**
 * Azure: the storage account key of a connection string (detect-secrets azure_storage_key.py,
 * `AccountKey=` and 88 base64 characters) and the signature of a SAS URL or token (`sv=…&sig=…`).
 */
export function azureDetector(bit: number, replacer: Replacer): PatternDetector {
  return {
    rule: 'azure-credential',
    kinds: ['azure_storage_key', 'azure_sas_token'],
    bit,
    gate: (input) => input.includes('AccountKey') || (input.includes('sig=') && input.includes('sv=')),
    pattern:
      /(AccountKey[ \t]*=[ \t]*)([A-Za-z0-9+/]{20,100}={0,2})(?![\w+/=])|((?:^|[?&;\s"'])sig=)([A-Za-z0-9%+/=_-]{16,256})/g,
    replace(m) {
      if (m[1] !== undefined) return m[1] + replacer.value('azure_storage_key', m[2]);
      return isMarker(m[4]) ? undefined : m[3] + replacer.value('azure_sas_token', m[4]);
    },
  };
}
