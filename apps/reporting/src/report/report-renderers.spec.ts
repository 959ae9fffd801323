import { previousSources, W47, weeklySources } from './weekly-sources.fixture';
import { renderHtml } from './html-renderer';
import { renderText } from './text-renderer';
import { buildWeeklyReport } from './weekly-report.builder';

const report = buildWeeklyReport({
  period: W47,
  sources: weeklySources(),
  generatedAt: new Date('2026-11-23T06:00:00Z'),
  timeZone: 'UTC',
  previous: previousSources(),
});

/** Every number in a text, sorted: the multiset both parts must share. */
const numbers = (text: string) => (text.match(/\d+(?:\.\d+)?%?/g) ?? []).sort();
const visibleText = (html: string) =>
  html
    .replace(/<(style|title)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('report renderers', () => {
  const text = renderText(report);
  const html = renderHtml(report);

  it('put exactly the same numbers in the text and the HTML part', () => {
    const fromText = numbers(text.replace(/^Vigil weekly report .*$/m, ''));
    const fromHtml = numbers(visibleText(html).replace(/Vigil weekly report\s+\S+/, ''));
    expect(fromText).toEqual(fromHtml);
    for (const expected of [
      '99.95 %',
      '99.90 %',
      '100.00 %',
      '1,234',
      '1,200',
      '1,000',
      '10,080',
      '2,016',
      '150,000',
      '▲ up 7.1 % from 140,000',
      '▼ down 0.10 points from 0.50 %',
    ]) {
      expect(text).toContain(expected);
      expect(visibleText(html)).toContain(expected);
    }
  });

  it('lists severities in priority order with their counts in both parts', () => {
    expect(text).toMatch(/critical\s+2\nlow\s+1/);
    expect(visibleText(html)).toMatch(/critical\s+2\s+low\s+1/);
  });

  it('shows each headline move with its arrow and words, coloured by whether it is good news', () => {
    expect(text).toMatch(/p95 latency:\s+230 ms\s+▼ down 11\.5 % from 260 ms\n/);
    const cell = (label: string) => new RegExp(`>${label}</td><td [^>]*>([^\n]*?)</td></tr>`).exec(html)?.[1];
    // Good news in green, bad in red, neither in grey; the words say up or down either way.
    expect(cell('p95 latency')).toBe(
      '230&nbsp;ms <span style="display:inline-block;font-weight:normal;font-size:12px;color:#067647;">▼&nbsp;down 11.5&nbsp;% from 260&nbsp;ms</span>',
    );
    expect(cell('Requests')).toContain('color:#52606d;">▲&nbsp;up 7.1&nbsp;% from 140,000</span>');
    const before = previousSources();
    if (!before.alerting.available) throw new Error('fixture alerting');
    const worse = renderHtml(
      buildWeeklyReport({
        period: W47,
        sources: weeklySources(),
        generatedAt: new Date('2026-11-23T06:00:00Z'),
        timeZone: 'UTC',
        previous: {
          ...before,
          alerting: { available: true, data: { ...before.alerting.data, total_alerts: 1 } },
        },
      }),
    );
    expect(worse).toContain('color:#b42318;">▲&nbsp;up 200.0&nbsp;% from 1</span>');
  });

  it('keeps figures on one line with their unit, and the period in the title whole', () => {
    expect(html).toContain(
      '<td style="border:1px solid #d9dde3;padding:4px 6px;white-space:nowrap;">0.50&nbsp;%</td>',
    );
    expect(html).toContain('Vigil weekly report <span style="white-space:nowrap;">2026-W47</span>');
  });

  it('renders HTML with inline styles only: no scripts, no style blocks, no external resources', () => {
    expect(html).not.toMatch(/<script|<style|<link|javascript:|\son\w+=/i);
    expect(html).toContain('<table');
    expect(html).toContain('style="');
  });

  it('names the document language, for screen readers', () => {
    expect(html).toContain('<html lang="en">');
  });

  it('escapes source strings in HTML', () => {
    const hostile = buildWeeklyReport({
      period: W47,
      sources: weeklySources({ health: { available: false, reason: '<script>alert(1)</script> & more' } }),
      generatedAt: new Date('2026-11-23T06:00:00Z'),
      timeZone: 'UTC',
    });
    const out = renderHtml(hostile);
    expect(out).not.toContain('<script>');
    expect(out).toContain('unavailable: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  });
});
