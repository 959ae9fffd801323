import type { ReportChart } from '../model/report-document';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 260;

const MARGIN = { top: 32, right: 16, bottom: 48, left: 64 };
const COLORS = ['#2563eb', '#d97706', '#dc2626', '#059669', '#7c3aed'];
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

/**
 * A plain SVG line or bar chart: axes, a few gridlines, a legend. No scripts, no external
 * references, so resvg renders it the same everywhere. Null values leave a gap.
 */
export function chartSvg(chart: ReportChart): string {
  const plotW = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const { min, max } = axisRange(chart.kind, values);
  const y = (v: number) => MARGIN.top + plotH - ((v - min) / (max - min || 1)) * plotH;
  const n = Math.max(chart.labels.length, 1);
  const slot = plotW / n;
  const xCenter = (i: number) => MARGIN.left + slot * (i + 0.5);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="bold" fill="#1f2933" ${FONT}>${escapeXml(chart.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = min + ((max - min) * i) / 4;
    const gy = y(v).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" y1="${gy}" x2="${CHART_WIDTH - MARGIN.right}" y2="${gy}" stroke="#e4e7eb" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 6}" y="${gy}" font-size="10" text-anchor="end" dominant-baseline="middle" fill="#52606d" ${FONT}>${escapeXml(tick(v, chart.unit))}</text>`,
    );
  }
  chart.labels.forEach((label, i) => {
    parts.push(
      `<text x="${xCenter(i).toFixed(1)}" y="${CHART_HEIGHT - MARGIN.bottom + 14}" font-size="10" text-anchor="middle" fill="#52606d" ${FONT}>${escapeXml(shorten(label))}</text>`,
    );
  });
  chart.series.forEach((series, si) => {
    const color = COLORS[si % COLORS.length];
    if (chart.kind === 'bar') {
      const barW = (slot * 0.7) / chart.series.length;
      series.values.forEach((v, i) => {
        if (v === null) return;
        const x = xCenter(i) - (slot * 0.7) / 2 + si * barW;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(MARGIN.top + plotH - y(v)).toFixed(1)}" fill="${color}"/>`,
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
    const lx = MARGIN.left + si * 110;
    const ly = CHART_HEIGHT - 14;
    parts.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${color}"/>`,
      `<text x="${lx + 14}" y="${ly}" font-size="11" fill="#1f2933" ${FONT}>${escapeXml(series.name)}</text>`,
    );
  });
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${CHART_WIDTH - MARGIN.right}" y2="${MARGIN.top + plotH}" stroke="#9aa5b1" stroke-width="1"/>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** Bars start at zero; lines get a little headroom; an empty chart gets a unit range. */
function axisRange(kind: ReportChart['kind'], values: number[]): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  const hi = Math.max(...values);
  const lo = Math.min(...values);
  if (kind === 'bar') return { min: Math.min(0, lo), max: hi === 0 ? 1 : hi * 1.1 };
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  return { min: Math.max(0, lo - pad), max: hi + pad };
}

function tick(value: number, unit: string): string {
  const text = Math.abs(value) >= 100 ? Math.round(value).toString() : value.toFixed(1);
  return unit ? `${text} ${unit}` : text;
}

function shorten(label: string): string {
  return label.length > 14 ? `${label.slice(0, 13)}…` : label;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
