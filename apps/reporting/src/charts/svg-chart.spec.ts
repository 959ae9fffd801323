import type { ReportChart } from '../model/report-document';
import { renderChartPng } from './chart-renderer';
import { axisRange, chartSvg } from './svg-chart';

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

  it("draws a dashed budget line, bars over it in red and each bar's value", () => {
    const svg = chartSvg({
      id: 'downtime-by-target',
      title: 'Downtime per target (minutes)',
      kind: 'bar',
      unit: 'min',
      labels: ['shop-api', 'billing', 'search'],
      series: [{ name: 'downtime', values: [18.1, 0, 3] }],
      threshold: { value: 10.08, label: '99.9 % SLO budget: 10m 5s' },
      valueLabels: true,
    });
    expect(svg.match(/<rect [^>]*fill="#b42318"/g)).toHaveLength(1);
    // Bars have a fractional height; the legend swatch is 10 high.
    expect(svg.match(/<rect [^>]*height="\d+\.\d" fill="#2563eb"/g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(2);
    expect(svg).toContain('99.9 % SLO budget: 10m 5s');
    for (const value of ['>18.1<', '>0<', '>3<']) expect(svg).toContain(value);
    // Round ticks up to 20 min.
    expect(svg).toContain('>20 min<');
  });

  it('ends axes on round ticks', () => {
    expect(axisRange('line', [190, 645])).toEqual({ min: 0, max: 800 });
    expect(axisRange('line', [400, 460])).toEqual({ min: 380, max: 480 });
    expect(axisRange('bar', [18.1, 10.08])).toEqual({ min: 0, max: 20 });
    expect(axisRange('bar', [0, 0])).toEqual({ min: 0, max: 1 });
    expect(axisRange('line', [])).toEqual({ min: 0, max: 1 });
  });
});

describe('renderChartPng', () => {
  it('renders a PNG at twice the SVG size', () => {
    const { png, id } = renderChartPng(latency);
    expect(id).toBe('latency-by-day');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height as big-endian uint32 at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBe(1120);
    expect(png.readUInt32BE(20)).toBe(560);
  });
});
