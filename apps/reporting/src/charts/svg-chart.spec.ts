import type { ReportChart } from '../model/report-document';
import { renderChartPng } from './chart-renderer';
import { chartSvg } from './svg-chart';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const latency: ReportChart = {
  id: 'latency-by-day',
  title: 'Latency per day (ms) <p95>',
  kind: 'line',
  unit: 'ms',
  labels: ['11-16', '11-17', '11-18'],
  series: [
    { name: 'p50', values: [40, null, 42] },
    { name: 'p95', values: [200, 210, 220] },
  ],
};

describe('chartSvg', () => {
  it('draws one polyline per unbroken run of values and escapes text', () => {
    const svg = chartSvg(latency);
    // p50 has a gap: two runs; p95: one.
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    expect(svg).toContain('Latency per day (ms) &lt;p95&gt;');
    expect(svg).not.toMatch(/<script/i);
  });

  it('draws a bar per value, skipping nulls', () => {
    const svg = chartSvg({
      id: 'uptime',
      title: 'Uptime',
      kind: 'bar',
      unit: '%',
      labels: ['a', 'b', 'c'],
      series: [{ name: 'uptime', values: [99.9, null, 100] }],
    });
    // Bars have fractional widths; the legend swatch is 10 wide.
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="\d+\.\d"/g)).toHaveLength(2);
  });
});

describe('renderChartPng', () => {
  it('renders a PNG at twice the SVG size', () => {
    const { png, id } = renderChartPng(latency);
    expect(id).toBe('latency-by-day');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height as big-endian uint32 at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(520);
  });
});
