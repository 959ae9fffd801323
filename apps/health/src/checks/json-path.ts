/**
 * Reads `$.a.b[0].c` from a parsed JSON document: dot fields and [index] only (the subset the
 * targets file accepts). Returns `{found: false}` when any step is missing.
 */
export function readJsonPath(document: unknown, path: string): { found: boolean; value?: unknown } {
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = document;
  for (const step of steps) {
    if (step.startsWith('[')) {
      const index = Number(step.slice(1, -1));
      if (!Array.isArray(current) || index >= current.length) return { found: false };
      current = current[index];
    } else {
      const key = step.slice(1);
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(key in current))
        return { found: false };
      current = (current as Record<string, unknown>)[key];
    }
  }
  return { found: true, value: current };
}
