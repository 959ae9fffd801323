import { W47, weeklySources } from './weekly-sources.fixture';
import { renderHtml } from './html-renderer';
import { renderText } from './text-renderer';
import { buildWeeklyReport } from './weekly-report.builder';

const report = buildWeeklyReport({
  period: W47,
  sources: weeklySources(),
  generatedAt: new Date('2026-11-23T06:00:00Z'),
  timeZone: 'UTC',
});

/** Every number in a text, sorted: the multiset both parts must share. */
const numbers = (text: string) => (text.match(/\d+(?:\.\d+)?%?/g) ?? []).sort();
const visibleText = (html: string) =>
  html
    .replace(/<(style|title)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
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
    const fromHtml = numbers(visibleText(html).replace(/Vigil weekly report \S+/, ''));
    expect(fromText).toEqual(fromHtml);
    for (const expected of [
      '99.95%',
      '99.90%',
      '100.00%',
      '1234',
      '1200',
      '1000',
      '10080',
      '2016',
      '3',
      '5',
    ]) {
      expect(text).toContain(expected);
      expect(visibleText(html)).toContain(expected);
    }
  });

  it('lists severities in priority order with their counts in both parts', () => {
    expect(text).toMatch(/critical\s+2\nlow\s+1/);
    expect(visibleText(html)).toMatch(/critical\s+2\s+low\s+1/);
  });

  it('renders HTML with inline styles only: no scripts, no style blocks, no external resources', () => {
    expect(html).not.toMatch(/<script|<style|<link|javascript:|\son\w+=/i);
    expect(html).toContain('<table');
    expect(html).toContain('style="');
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
