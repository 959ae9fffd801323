import { factsOf } from './string-facts';

/** `&`, `<`, `/`, `(` and `-`, in that order. */
const marks = (text: string): boolean[] => {
  const f = factsOf(text);
  return [f.ampersand, f.lessThan, f.slash, f.openParen, f.dash];
};

describe('factsOf', () => {
  it('sees two capitals right before two digits, and nothing else, as an IBAN start', () => {
    expect(factsOf('GB29 NWBK 6016 1331 9268 19').capitalsThenDigits).toBe(true);
    expect(factsOf('iban DE89370400440532013000').capitalsThenDigits).toBe(true);
    expect(factsOf('XGB123').capitalsThenDigits).toBe(true);
    expect(factsOf('G B29').capitalsThenDigits).toBe(false);
    expect(factsOf('GB 29').capitalsThenDigits).toBe(false);
    expect(factsOf('gb29').capitalsThenDigits).toBe(false);
    expect(factsOf('aB29').capitalsThenDigits).toBe(false);
    expect(factsOf('GB2 9').capitalsThenDigits).toBe(false);
    expect(factsOf('GB-29').capitalsThenDigits).toBe(false);
  });

  it('records the characters the surface passes look for', () => {
    expect(marks('<td>a &amp; b</td> (x) --y /z')).toEqual([true, true, true, true, true]);
    expect(marks('ord 12345 paid 1499.99')).toEqual([false, false, false, false, false]);
  });

  it('leaves no fact of one string on the next (the facts object is shared)', () => {
    factsOf('a&b</c>(d)-e');
    expect(marks('abcdef')).toEqual([false, false, false, false, false]);
  });
});
