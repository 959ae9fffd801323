import { decodeJournalAlerts, JournalEntryError } from './journal-entry';

const alert = (fields: Record<string, unknown> = {}) => ({
  fingerprint: '0123456789abcdef',
  labels: { alertname: 'A' },
  annotations: {},
  ...fields,
});
const decoding = (value: unknown) => () =>
  decodeJournalAlerts(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeJournalAlerts', () => {
  it('decodes what AlertIntake journals, with a surrogate pair and other text Postgres stores', () => {
    const alerts = [
      alert({
        labels: { alertname: 'A', emoji: '😀 ü 中' },
        startsAt: '2026-01-01T00:00:00.000Z',
        generatorURL: 'http://x/',
      }),
    ];
    expect(decodeJournalAlerts(JSON.stringify(alerts))).toEqual(alerts);
  });

  it.each([
    ['not JSON', '[{"fingerprint": ', /not JSON/],
    ['not an array', { labels: {} }, /not an array/],
    ['an alert that is not an object', [5], /alerts\[0\] is not an object/],
    ['no fingerprint', [alert({ fingerprint: undefined })], /alerts\[0\]\.fingerprint/],
    [
      'a label that is not a string',
      [alert({ labels: { alertname: 5 } })],
      /alerts\[0\]\.labels is not a map of strings/,
    ],
    ['annotations missing', [alert({ annotations: undefined })], /annotations is not a map/],
    ['a time that is not one', [alert(), alert({ endsAt: 'soon' })], /alerts\[1\]\.endsAt is not a time/],
    ['a generatorURL that is not a string', [alert({ generatorURL: 1 })], /generatorURL is not a string/],
    [
      'a lone surrogate in a label value',
      [alert({ labels: { alertname: 'A', v: 'x\ud800' } })],
      /alerts\[0\]\.labels\.v must be well-formed Unicode/,
    ],
    [
      'a lone low surrogate in an annotation',
      [alert({ annotations: { d: '\udc00' } })],
      /annotations\.d must be well-formed Unicode/,
    ],
    [
      'NUL in a label name',
      [alert({ labels: { alertname: 'A', 'a\u0000': 'v' } })],
      /a name in alerts\[0\]\.labels must not contain U\+0000/,
    ],
    [
      'NUL in the generatorURL',
      [alert({ generatorURL: 'http://x/\u0000' })],
      /generatorURL must not contain U\+0000/,
    ],
  ])('refuses %s, naming the field', (_, value, reason) => {
    expect(decoding(value)).toThrow(JournalEntryError);
    expect(decoding(value)).toThrow(reason);
  });
});
