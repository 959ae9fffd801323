import { isMarker } from '../markers';
import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';
import { secretName } from './keyword-assignments';

/** Secrets in configuration files that are logged or echoed whole. */

/** .NET `appSettings` and NuGet `packageSourceCredentials` entries (gitleaks nuget-config-password). */
export function dotnetAddDetector(bit: number, replacer: Replacer): PatternDetector {
  return {
    rule: 'dotnet-config-value',
    kinds: ['secret'],
    bit,
    gate: (input) => input.includes('<add'),
    pattern: /(<add[ \t]+key=(["'])([^"'<>\r\n]{1,64})\2[ \t]+value=(["']))([^"'<>\r\n]{1,256})(?=\4)/g,
    replace: (m) =>
      secretName(m[3]) === undefined || isMarker(m[5]) ? undefined : m[1] + replacer.keyed('secret', m[5]),
  };
}

const K8S_SECRET = /\bkind:[ \t]*["']?Secret\b/;
const DATA_BLOCK = /^([ \t]*)(?:data|stringData):[ \t]*$/;
const DATA_ENTRY = /^([ \t]+)([\w.-]{1,253}):[ \t]*(.*)$/;
const indentOf = (line: string): number => line.length - line.trimStart().length;

// A key that names a secret, holds one (a URL, a DSN, a certificate) or a login's half (a user name),
// and a setting's word value.
const SECRET_NAME =
  /pass|pwd|secret|token|key|cred|auth|cert|private|salt|sign|session|cookie|dsn|url|uri|conn|user|login|account|mail/i;
const SETTING_WORD = /^["']?[a-z]{1,16}["']?$/;

/** A setting kept in a Secret beside its credentials (`STRIPE_MODE: live`, `DEBUG: "false"`). */
const isSetting = (name: string, value: string): boolean =>
  value.length <= 18 && SETTING_WORD.test(value) && !SECRET_NAME.test(name);

/**
 * A Kubernetes Secret manifest (gitleaks kubernetes-secret-yaml): every value under `data:` and
 * `stringData:` is a secret whatever its name (`DATABASE_URL: cG9zdGdy…`), block scalars included,
 * except a setting: a word in lower case under a name that names no secret (`ENVIRONMENT: production`).
 * One pass over the lines; names and structure stay.
 */
export function kubernetesSecretValues(replacer: Replacer): (input: string) => string {
  return (input) => {
    if (!K8S_SECRET.test(input)) return input;
    const lines = input.split('\n');
    let changed = false;
    let block = -1; // indent of the `data:` line while inside its block
    let scalar = -1; // indent of an entry whose value is a `|` or `>` block scalar
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.trim() === '') continue;
      const indent = indentOf(line);
      if (scalar >= 0 && indent > scalar) {
        if (!isMarker(line.trim())) {
          lines[i] = line.slice(0, indent) + replacer.keyed('secret', line.trim());
          changed = true;
        }
        continue;
      }
      scalar = -1;
      if (block >= 0 && indent <= block) block = -1;
      const opening = DATA_BLOCK.exec(line);
      if (opening !== null) {
        block = opening[1].length;
        continue;
      }
      const entry = block >= 0 ? DATA_ENTRY.exec(line) : null;
      if (entry === null) continue;
      const value = entry[3].trim();
      if (/^[|>][-+]?$/.test(value)) scalar = entry[1].length;
      else if (value !== '' && !isMarker(value.replace(/^["']|["']$/g, '')) && !isSetting(entry[2], value)) {
        lines[i] = `${entry[1]}${entry[2]}: ${replacer.keyed('secret', value)}`;
        changed = true;
      }
    }
    return changed ? lines.join('\n') : input;
  };
}
