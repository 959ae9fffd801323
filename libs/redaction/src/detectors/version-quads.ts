/**
 * A dotted quad beside another version in an upgrade line (`django 4.2.11 -> 5.0.4.1`,
 * `5.0.4.1 → 5.1.0`): the other side is a version of 3 parts (an address has 4), so the quad is one
 * too. Two quads (`10.0.0.1 -> 10.0.0.2`) stay a connection. Reads at most 24 characters each side.
 */
const VERSION_THEN_ARROW =
  /(?<![\w.])v?\d{1,4}\.\d{1,4}\.\d{1,4}(?:[-+]?[a-z]{1,5}\d{0,3})? ?(?:->|=>|→|to) ?$/i;
const ARROW_THEN_VERSION = /^ ?(?:->|=>|→|to) ?v?\d{1,4}\.\d{1,4}\.\d{1,4}(?![\w.])/i;

export function versionBesideQuad(input: string, index: number, length: number): boolean {
  if (index > 0 && VERSION_THEN_ARROW.test(input.slice(Math.max(0, index - 24), index))) return true;
  const end = index + length;
  return end < input.length && ARROW_THEN_VERSION.test(input.slice(end, end + 24));
}
