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

describe('the audit section carries the signed checkpoints of the logs', () => {
  const note =
    'vigil.audit/security\n300\nXcnaeacGWamtVZy3Ad7Zoqudgjqt+L0lgz+Nw7/RgQyg=\n\n' +
    '\u2014 vigil.audit/security BsCvFgMHs8+0lHqE9iU0+u5LJcQ7y2j2bQ9Xk4M8F0r7mV1o2yX6Y3mA8vJ0r1q9pQ4tW6yZ7cE2dF9gH3kL5nM0pQ==\n' +
    '\u2014 witness.example/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
  const base = weeklySources();
  if (!base.audit.available) throw new Error('fixture audit');
  const withCheckpoints = buildWeeklyReport({
    period: W47,
    sources: {
      ...base,
      audit: {
        available: true,
        data: {
          ...base.audit.data,
          checkpoints: [
            {
              category: 'security',
              size: 300,
              root_hash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
              note,
              final: true,
            },
          ],
        },
      },
    },
    generatedAt: new Date('2026-11-23T06:00:00Z'),
    timeZone: 'UTC',
  });

  it('puts each note, byte for byte, in the text part and in a <pre> of the HTML part, with a table of roots', () => {
    const text = renderText(withCheckpoints);
    expect(text).toContain(`Signed checkpoint of the security log:\n${note}`);
    expect(text).toMatch(
      /security\s+300\s+5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\s+quorum/,
    );
    const html = renderHtml(withCheckpoints);
    const pre = /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(html);
    expect(pre?.[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&')).toBe(note);
    expect(visibleText(html)).toContain('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('leaves the section as it was when the audit service sends no checkpoints', () => {
    expect(renderText(report)).not.toContain('Latest signed log checkpoints');
    expect(renderHtml(report)).not.toContain('<pre');
  });
});
