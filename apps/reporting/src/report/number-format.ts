/**
 * Numbers as people read them in a report: `1,240` changes, `3.9 M` requests, `12.3 %`, `250 ms`,
 * `10m 5s`. Every figure of the e-mail goes through here, so the text and HTML parts agree.
 */

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const LARGE: [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
];

/** A count: digits grouped below a million (`48,384`), one decimal and M or B above (`3.9 M`). */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  for (const [size, unit] of LARGE) {
    if (Math.abs(rounded) >= size * 0.99995) {
      const scaled = (rounded / size).toFixed(1);
      // 999,960,000 is 1.0 B, not 1000.0 M.
      if (unit === 'M' && Math.abs(Number(scaled)) >= 1000) return `${(rounded / 1e9).toFixed(1)} B`;
      return `${scaled} ${unit}`;
    }
  }
  return GROUPED.format(rounded);
}

/** A whole count to the unit, grouped (1,000,000): where a reader checks the figure, e.g. an auditor. */
export function formatExactCount(value: number): string {
  return GROUPED.format(Math.round(value));
}

/** A percentage (0..100) with `decimals` places, never rounding a shortfall up to `100.00 %`. */
export function formatPercent(value: number, decimals = 2): string {
  const text = value.toFixed(decimals);
  const full = (100).toFixed(decimals);
  const shown = text === full && value < 100 ? (100 - 10 ** -decimals).toFixed(decimals) : text;
  return `${shown} %`;
}

/** A share (0..1) as a percentage: two decimals, and `< 0.01 %` rather than a misleading `0.00 %`. */
export function formatShare(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return 'n/a';
  if (ratio > 0 && ratio < 0.00005) return '< 0.01 %';
  return formatPercent(ratio * 100);
}

/** `46.0 ms` below 100 ms, `250 ms`, `1,250 ms`; `n/a` for no value. */
export function formatMilliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  return value >= 100 ? `${GROUPED.format(value)} ms` : `${value.toFixed(1)} ms`;
}

/** `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
