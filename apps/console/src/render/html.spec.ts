import { escapeHtml, html, raw } from './html';

describe('html', () => {
  it('escapes every interpolated string, including attribute breakers', () => {
    const label = `"><script>alert(1)</script><img src=x onerror='x'>`;
    const out = html`<td title="${label}">${label}</td>`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain(`"><`);
    expect(out).toBe(
      `<td title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;x&#39;&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;x&#39;&gt;</td>`,
    );
  });

  it('nests safe fragments and arrays without escaping them twice', () => {
    const rows = ['a&b', 'c'].map((cell) => html`<li>${cell}</li>`);
    expect(
      html`<ul>
        ${rows}
      </ul>`.value.replace(/>\s+</g, '><'),
    ).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
    expect(html`${raw('<br>')}${null}${undefined}${false}${0}`.value).toBe('<br>0');
  });

  it('escapes backticks and single quotes', () => {
    expect(escapeHtml("`'")).toBe('&#96;&#39;');
  });
});
