import { existsSync } from 'node:fs';

import { Resvg } from '@resvg/resvg-js';

import type { ReportChart } from '../model/report-document';
import { chartSvg } from './svg-chart';

/**
 * Fonts for chart text. resvg draws no text without a font; slim images often have none, so the
 * DejaVu files are passed explicitly when present and system fonts are loaded as well. Without any
 * font the charts still render (lines, bars, legend swatches), only their labels are missing.
 */
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
].filter((file) => existsSync(file));

export interface RenderedChart {
  id: string;
  title: string;
  png: Buffer;
}

/** SVG → PNG, server-side. */
export function renderChartPng(chart: ReportChart): RenderedChart {
  const resvg = new Resvg(chartSvg(chart), {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 },
    font: { fontFiles: FONT_FILES, loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return { id: chart.id, title: chart.title, png: resvg.render().asPng() };
}
