import type { ReportChart } from '../model/report-document';

/** Drawn at this size (PNG at twice it); a phone shows it at about half, so text is drawn large. */
export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 280;

const MARGIN = { top: 40, right: 16, bottom: 56, left: 80 };
/** Aim for about this many gridline steps; round steps may give 3 to 6. */
const TICKS = 4;
const LEGEND_SLOT = 120;
const COLORS = ['#2563eb', '#d97706', '#dc2626', '#059669', '#7c3aed'];
/** Bars above a chart's threshold (a spent error budget), and the threshold line. */
const OVER = '#b42318';
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

/**
 * A plain SVG line or bar chart: axes, a few gridlines, a legend. No scripts, no external
 * references, so resvg renders it the same everywhere. Null values leave a gap.
 */
export function chartSvg(chart: ReportChart): string {
  const plotW = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  if (chart.threshold) values.push(chart.threshold.value);
  const { min, max } = axisRange(chart.kind, values);
  const y = (v: number) => MARGIN.top + plotH - ((v - min) / (max - min || 1)) * plotH;
  const n = Math.max(chart.labels.length, 1);
  const slot = plotW / n;
  const xCenter = (i: number) => MARGIN.left + slot * (i + 0.5);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="22" font-size="17" font-weight="bold" fill="#1f2933" ${FONT}>${escapeXml(chart.title)}</text>`,
  ];
  const ticks = Math.round((max - min) / roundStep((max - min) / TICKS));
  for (let i = 0; i <= ticks; i++) {
    const v = min + ((max - min) * i) / ticks;
    const gy = y(v).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" y1="${gy}" x2="${CHART_WIDTH - MARGIN.right}" y2="${gy}" stroke="#e4e7eb" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 6}" y="${gy}" font-size="14" text-anchor="end" dominant-baseline="middle" fill="#52606d" ${FONT}>${escapeXml(tick(v, chart.unit))}</text>`,
    );
  }
  chart.labels.forEach((label, i) => {
    parts.push(
      `<text x="${xCenter(i).toFixed(1)}" y="${CHART_HEIGHT - MARGIN.bottom + 18}" font-size="14" text-anchor="middle" fill="#52606d" ${FONT}>${escapeXml(shorten(label, Math.max(4, Math.floor(slot / 8.5))))}</text>`,
    );
  });
  chart.series.forEach((series, si) => {
    const color = COLORS[si % COLORS.length];
    if (chart.kind === 'bar') {
      const barW = (slot * 0.7) / chart.series.length;
      series.values.forEach((v, i) => {
        if (v === null) return;
        const x = xCenter(i) - (slot * 0.7) / 2 + si * barW;
        const over = chart.threshold !== undefined && v > chart.threshold.value;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(MARGIN.top + plotH - y(v)).toFixed(1)}" fill="${over ? OVER : color}"/>`,
        );
        if (chart.valueLabels)
          parts.push(
            `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" font-size="14" text-anchor="middle" fill="#1f2933" ${FONT}>${escapeXml(tick(v, ''))}</text>`,
          );
      });
    } else {
      const segments: string[][] = [[]];
      series.values.forEach((v, i) => {
        if (v === null) segments.push([]);
        else segments[segments.length - 1].push(`${xCenter(i).toFixed(1)},${y(v).toFixed(1)}`);
      });
      for (const points of segments.filter((s) => s.length > 0)) {
        parts.push(
          `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
          ...points.map((p) => {
            const [cx, cy] = p.split(',');
            return `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`;
          }),
        );
      }
    }
    const lx = 16 + si * LEGEND_SLOT;
    const ly = CHART_HEIGHT - 14;
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${color}"/>`,
      `<text x="${lx + 14}" y="${ly}" font-size="14" fill="#1f2933" ${FONT}>${escapeXml(series.name)}</text>`,
    );
  });
  if (chart.threshold)
    parts.push(...thresholdLine(chart.threshold, y(chart.threshold.value), chart.series.length));
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${CHART_WIDTH - MARGIN.right}" y2="${MARGIN.top + plotH}" stroke="#9aa5b1" stroke-width="1"/>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** A dashed line across the plot at the threshold, with its own legend entry after the series'. */
function thresholdLine(threshold: { label: string }, at: number, legendSlot: number): string[] {
  const lx = 16 + legendSlot * LEGEND_SLOT;
  const ly = CHART_HEIGHT - 14;
  return [
    `<line x1="${MARGIN.left}" y1="${at.toFixed(1)}" x2="${CHART_WIDTH - MARGIN.right}" y2="${at.toFixed(1)}" stroke="${OVER}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<line x1="${lx}" y1="${ly - 3}" x2="${lx + 18}" y2="${ly - 3}" stroke="${OVER}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<text x="${lx + 22}" y="${ly}" font-size="14" fill="#1f2933" ${FONT}>${escapeXml(threshold.label)}</text>`,
  ];
}

/**
 * Bars start at zero, lines get a little headroom; both end on round ticks (0, 200, 400, 600, 800
 * rather than 0, 176, 353...). An empty chart gets a unit range.
 */
export function axisRange(kind: ReportChart['kind'], values: number[]): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  const hi = Math.max(...values);
  const lo = Math.min(...values);
  const pad = kind === 'bar' ? 0 : (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  const bottom = kind === 'bar' ? Math.min(0, lo) : Math.max(0, lo - pad);
  const top = kind === 'bar' ? (hi === 0 ? 1 : hi * 1.1) : hi + pad;
  const step = roundStep((top - bottom) / TICKS);
  const min = Math.floor(bottom / step) * step;
  return { min, max: min + Math.ceil((top - min) / step - 1e-9) * step };
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `raw`. */
function roundStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return power * ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw - 1e-12) ?? 10);
}

function tick(value: number, unit: string): string {
  const whole = Math.abs(value - Math.round(value)) < 1e-9;
  const text = whole || Math.abs(value) >= 100 ? Math.round(value).toString() : value.toFixed(1);
  return unit ? `${text} ${unit}` : text;
}

/** A label cut to `chars` characters (with an ellipsis), so neighbours do not overlap. */
function shorten(label: string, chars: number): string {
  return label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
