/** The message of anything thrown, for a log field or an error line (a thrown non-Error is stringified). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
