import { X509Certificate } from 'node:crypto';

import {
  readTargetSecret,
  TargetSecretError,
  type SecretEnvironment,
  type SecretSource,
} from './target-secrets';
import { secretReferencesIn, TargetSecrets, fillReferences } from './secret-references';
import { isHttpUrl, type HttpTarget, type TargetDefinition, type TargetFileEntry } from './target-definition';

/** A reference of one field that cannot be read; the loader names the target in front of it. */
export class TargetFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'TargetFieldError';
  }
}

/**
 * Reads what an http target or a synthetic flow's steps name outside the file: the secrets their url,
 * headers and body reference (`${NAME}`, `${file:/path}`) and their `tls.ca_file`. Called once at load,
 * so a missing secret stops boot naming the target and field (never the value). Other kinds are
 * returned as they are.
 */
export function resolveTargetReferences(
  target: TargetDefinition,
  entry: TargetFileEntry,
  environment: SecretEnvironment,
): TargetDefinition {
  if (target.kind === 'http' && entry.type === 'http')
    return withReferences(target, '', entry.tls?.ca_file, environment);
  if (target.kind === 'synthetic' && entry.type === 'synthetic')
    return {
      ...target,
      steps: target.steps.map((step, index) => ({
        ...step,
        request: withReferences(
          step.request,
          `steps[${index}].`,
          entry.steps[index]?.tls?.ca_file,
          environment,
        ),
      })),
    };
  return target;
}

function withReferences(
  request: HttpTarget,
  prefix: string,
  caFile: string | undefined,
  environment: SecretEnvironment,
): HttpTarget {
  const fields: [string, string][] = [
    ['url', request.url],
    ...Object.entries(request.headers).map(([name, value]): [string, string] => [`headers.${name}`, value]),
    ...(request.body === null ? [] : [['body', request.body] as [string, string]]),
  ];
  const values = new Map<string, string>();
  for (const [field, text] of fields) {
    for (const key of secretReferencesIn(text)) {
      if (values.has(key)) continue;
      const source: SecretSource = key.startsWith('file:') ? { file: key.slice(5) } : { env: key };
      values.set(
        key,
        read(`${prefix}${field}`, () => readTargetSecret(source, environment)),
      );
    }
  }
  const secrets = values.size ? new TargetSecrets(values) : undefined;
  if (secrets && !isHttpUrl(fillReferences(request.url, secrets, null, true)))
    throw new TargetFieldError(`${prefix}url`, 'must be an http(s) URL once its secrets are filled in');
  const tls = caFile === undefined ? undefined : { caFile, ca: readCa(`${prefix}tls.ca_file`, caFile) };
  return { ...request, ...(secrets ? { secrets } : {}), ...(tls ? { tls } : {}) };
}

function read(field: string, reading: () => string): string {
  try {
    return reading();
  } catch (error) {
    if (error instanceof TargetSecretError) throw new TargetFieldError(field, error.message);
    throw error;
  }
}

/** The PEM text of a CA file, refused at load when it holds no certificate. */
function readCa(field: string, file: string): string {
  const pem = read(field, () => readTargetSecret({ file }, {}));
  try {
    new X509Certificate(pem);
  } catch {
    throw new TargetFieldError(field, `file ${file} holds no PEM certificate`);
  }
  return pem;
}
