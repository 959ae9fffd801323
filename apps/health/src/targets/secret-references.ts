import { inspect } from 'node:util';

/**
 * A `${...}` reference in a url, header value or body: `${NAME}` (all uppercase: an environment
 * variable), `${file:/path}` (a mounted file, e.g. a Kubernetes Secret), or `${name}` with a lowercase
 * letter (a synthetic step's capture). One grammar, filled in one pass, so a captured value that
 * happens to contain `${PASSWORD}` is sent as it is and never turns into the secret.
 */
const REFERENCE = /\$\{(file:[^}\s]+|[A-Za-z_][A-Za-z0-9_]{0,63})\}/g;
const ENVIRONMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Whether `${name}` names an environment variable (all uppercase) rather than a capture. */
export function isEnvironmentReference(name: string): boolean {
  return ENVIRONMENT_NAME.test(name);
}

function isSecretReference(key: string): boolean {
  return key.startsWith('file:') || isEnvironmentReference(key);
}

/** The secret references of `text` (`NAME` or `file:/path`), in order, without repeats. */
export function secretReferencesIn(text: string): string[] {
  const keys = [...text.matchAll(REFERENCE)].map((m) => m[1]).filter(isSecretReference);
  return [...new Set(keys)];
}

/** `text` with each secret reference replaced by a harmless word (to validate a URL's shape at load). */
export function withoutSecretReferences(text: string): string {
  return text.replace(REFERENCE, (whole, key: string) => (isSecretReference(key) ? 'secret' : whole));
}

/**
 * The values of a target's secret references, read when the targets file is loaded. The definition
 * keeps the references (what the status page and logs show); the values are filled in per request.
 * Serialises and inspects as a placeholder, so a logged or stored target never carries them.
 */
export class TargetSecrets {
  readonly #values: ReadonlyMap<string, string>;

  constructor(values: ReadonlyMap<string, string>) {
    this.#values = values;
  }

  get(key: string): string | undefined {
    return this.#values.get(key);
  }

  /** The values, to scrub them from error texts (longest first, so no value is half-replaced). */
  values(): string[] {
    return [...this.#values.values()].sort((a, b) => b.length - a.length);
  }

  toJSON(): string {
    return '[secrets]';
  }

  [inspect.custom](): string {
    return 'TargetSecrets [REDACTED]';
  }
}

/**
 * `text` with its references filled in: secrets from `secrets`, the rest from `captures` (a
 * missing capture throws, naming it; with `captures` null they stay as written: an http target has
 * none). `encode` percent-encodes the values (a URL part).
 */
export function fillReferences(
  text: string,
  secrets: TargetSecrets | undefined,
  captures: Readonly<Record<string, string>> | null,
  encode: boolean,
): string {
  return text.replace(REFERENCE, (whole, key: string) => {
    if (captures === null && !isSecretReference(key)) return whole;
    const value = isSecretReference(key) ? secrets?.get(key) : captures?.[key];
    if (value === undefined) {
      throw new Error(
        isSecretReference(key)
          ? `\${${key}} was not read when the targets were loaded`
          : `\${${key}} was not captured by an earlier step`,
      );
    }
    return encode ? encodeURIComponent(value) : value;
  });
}

/** `text` with every secret value (and its URL-encoded form) replaced by [REDACTED]. */
export function scrubSecrets(text: string, secrets: readonly TargetSecrets[]): string {
  let out = text;
  for (const value of secrets.flatMap((s) => s.values())) {
    for (const form of new Set([value, encodeURIComponent(value)]))
      if (form.length > 0) out = out.split(form).join('[REDACTED]');
  }
  return out;
}
