import { createRedactor, type Finding, redactString } from './index';

const HASH_KEY = 'k'.repeat(32);
const explain = (text: string): { output: string; findings: Finding[] } => createRedactor().explain(text);

/** Every finding's span, read from the original text, is the value it reports. */
function expectSpansHold(text: string, findings: readonly Finding[]): void {
  for (const finding of findings) {
    expect(finding.start).toBeGreaterThanOrEqual(0);
    expect(text.slice(finding.start, finding.end)).toBe(finding.text);
  }
}

describe('Redactor.explain', () => {
  it('names the rule, kind, strategy, span, original and replacement of each value, in text order', () => {
    const text = 'user a@b.io paid 4111 1111 1111 1111 from 203.0.113.5?token=abc123&page=2';
    const { output, findings } = explain(text);
    expect(output).toBe(redactString(text));
    expect(
      findings.map(({ rule, kind, strategy, text: value, replacement }) => [
        rule,
        kind,
        strategy,
        value,
        replacement,
      ]),
    ).toEqual([
      ['email', 'email', 'remove', 'a@b.io', '[REDACTED:email]'],
      ['card', 'card', 'remove', '4111 1111 1111 1111', '[REDACTED:card]'],
      ['ipv4', 'ipv4', 'remove', '203.0.113.5', '[REDACTED:ipv4]'],
      ['key-value', 'secret', 'remove', 'abc123', '[REDACTED]'],
    ]);
    expectSpansHold(text, findings);
  });

  it('maps spans back through the replacements of earlier passes', () => {
    // Each pass changes the length of the text before the next pass's finding.
    const text =
      'from x@example.org jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\nAuthorization: Basic dXNlcjpwYXNzd29yZA==';
    const { output, findings } = explain(text);
    expect(output).toBe(redactString(text));
    expect(findings.map((f) => [f.rule, f.text])).toEqual([
      ['email', 'x@example.org'],
      ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
      // The auth-scheme pass replaced the token; the header pass keeps the scheme and the marker.
      ['auth-scheme', 'dXNlcjpwYXNzd29yZA=='],
    ]);
    expectSpansHold(text, findings);
  });

  it('places a value found in Bengali digits at its span, with its text as written', () => {
    const text = 'call ০১৭১২৩৪৫৬৭৮ today';
    const { output, findings } = explain(text);
    expect(output).toBe('call [REDACTED:phone] today');
    expect(findings.map((f) => [f.rule, f.text, f.start, f.end])).toEqual([['phone', '০১৭১২৩৪৫৬৭৮', 5, 16]]);
    expectSpansHold(text, findings);
  });

  it('names a cookie value, URL passwords and provider tokens', () => {
    const text =
      'Cookie: sid=s3cr3t; theme=dark\ndb postgres://app:hunter22@db:5432/x key ghp_' + 'a'.repeat(36);
    const { findings } = explain(text);
    expect(findings.map((f) => [f.rule, f.kind])).toEqual([
      ['key-value', 'secret'],
      ['url-password', 'url_password'],
      ['provider-token', 'github_token'],
    ]);
    expectSpansHold(text, findings);
  });

  it('reports the strategy the policy gives each kind, and a policy rule by its place in the policy', () => {
    const redactor = createRedactor({
      strategies: { email: 'hash', card: 'mask' },
      hashKey: HASH_KEY,
      rules: [{ kind: 'ticket_ref', pattern: /TKT-\d{6}/ }],
    });
    const text = 'TKT-123456 by a@b.io with 4111111111111111';
    const { output, findings } = redactor.explain(text);
    expect(output).toBe(redactor.redactString(text));
    expect(findings.map((f) => [f.rule, f.kind, f.strategy, f.replacement.slice(0, 12)])).toEqual([
      ['rules[0]', 'ticket_ref', 'remove', '[REDACTED:ti'],
      ['email', 'email', 'hash', '[HASH:email:'],
      ['card', 'card', 'mask', '****1111'],
    ]);
    expectSpansHold(text, findings);
  });

  it('finds the values of sensitive JSON keys in the text the JSON was decoded from', () => {
    const text = '{"user":{"email":"a@b.io","password":"p@ss w0rd"},"note":"call +8801712345678"}';
    const { output, findings } = explain(text);
    expect(output).toBe(redactString(text));
    expect(findings.map((f) => [f.rule, f.kind, f.text])).toEqual([
      ['key-name', 'email', 'a@b.io'],
      ['key-name', 'secret', 'p@ss w0rd'],
      ['phone', 'phone', '+8801712345678'],
    ]);
    expectSpansHold(text, findings);
  });

  it('finds nothing in look-alikes, and leaves them byte for byte', () => {
    const text = 'order 1234567890 v1.2.3.4 trace 4bf92f3577b34da6a3ce929d0e0e4736 at 2026-12-07T10:00:00Z';
    expect(explain(text)).toEqual({ output: text, findings: [] });
  });

  it('explains an already redacted text as clean (idempotent)', () => {
    const once = redactString('a@b.io token=abc123');
    expect(explain(once)).toEqual({ output: once, findings: [] });
  });

  it('leaves the redactor as it was: later calls report nothing and give the same output', () => {
    const redactor = createRedactor();
    const text = 'mail a@b.io';
    redactor.explain(text);
    expect(redactor.redactString(text)).toBe('mail [REDACTED:email]');
    expect(redactor.explain('no secrets here at all').findings).toEqual([]);
  });

  it('reports each value once in a text over the length budget (scanned twice, past the cut)', () => {
    const redactor = createRedactor({ limits: { maxStringLength: 60 } });
    // g@h.io crosses the cut at 60: the output stops before it, and the finding says why.
    const text = 'a@b.io c@d.io e@f.io ' + 'x'.repeat(36) + ' g@h.io and more text after the cut';
    const { output, findings } = redactor.explain(text);
    expect(output).toBe(redactor.redactString(text));
    expect(output).toMatch(/ x{36} …\[Truncated \d+ chars\]$/);
    expect(findings.map((f) => [f.start, f.text])).toEqual([
      [0, 'a@b.io'],
      [7, 'c@d.io'],
      [14, 'e@f.io'],
      [58, 'g@h.io'],
    ]);
    expectSpansHold(text, findings);
  });
});
