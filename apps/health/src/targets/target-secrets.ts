import fs from 'node:fs';

/** The environment a targets file's secrets are read from (the service's, given by the bootstrap). */
export type SecretEnvironment = Readonly<Record<string, string | undefined>>;

/** A secret named in the targets file: an environment variable or a mounted file (a Kubernetes Secret). */
export interface SecretSource {
  env?: string;
  file?: string;
}

/** Why a secret cannot be read; the loader names the target and field in front of it. */
export class TargetSecretError extends Error {}

/**
 * The value of a secret, trimmed of a trailing newline (files written by `echo` or kubectl have one).
 * The value itself never appears in an error.
 */
export function readTargetSecret(source: SecretSource, environment: SecretEnvironment): string {
  if (source.env !== undefined) {
    const value = environment[source.env];
    if (value === undefined || value === '')
      throw new TargetSecretError(`environment variable ${source.env} is not set`);
    return value;
  }
  if (source.file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(source.file, 'utf8');
    } catch (error) {
      throw new TargetSecretError(
        `file ${source.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new TargetSecretError(`file ${source.file} is empty`);
    return value;
  }
  throw new TargetSecretError('names neither an environment variable nor a file');
}
