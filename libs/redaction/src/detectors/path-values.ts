/**
 * A value that is the path of a file (`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json`,
 * `ssl_key: C:\certs\app.key`): where a credential is kept, not the credential, so a sensitive key's
 * value that is one stays. Absolute or home/relative, at least one directory, a name with an extension;
 * no secret is written that way.
 */
const UNIX_FILE = /^(?:~|\.{1,2})?\/(?:[\w.-]{1,64}\/){1,16}[\w.-]{0,63}\.[A-Za-z0-9]{1,8}$/;
const WINDOWS_FILE = /^[A-Za-z]:\\{1,2}(?:[\w .-]{1,64}\\{1,2}){0,16}[\w.-]{0,63}\.[A-Za-z0-9]{1,8}$/;
const MAX_PATH = 1024;

export function isFilePath(value: string): boolean {
  if (value.length > MAX_PATH) return false;
  const c = value.charCodeAt(0);
  if (c === 47 || c === 126 || c === 46) return UNIX_FILE.test(value); // / ~ .
  return value.charCodeAt(1) === 58 && WINDOWS_FILE.test(value); // C:
}
