/**
 * The message of a failed check: Node's network errors carry a code (ECONNREFUSED, ENOTFOUND, ...)
 * worth showing. Duck-typed: errors may come from another realm, where `instanceof Error` is false.
 */
export function errorText(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const { message, code, name } = error as { message?: unknown; code?: unknown; name?: unknown };
    const text = typeof message === 'string' && message ? message : typeof name === 'string' ? name : '';
    if (text) return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  }
  return String(error);
}
