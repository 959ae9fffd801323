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

  it('counts the digits a word can name: not after `+`, `(` or `/`', () => {
    expect(factsOf('nid: 1234567890').namedDigitGroup).toBe(10);
    expect(factsOf('passport EB0123456').namedDigitGroup).toBe(7);
    expect(factsOf('ssn 123-45-6789').namedDigitGroup).toBe(9);
    expect(factsOf('call +8801712345678 now').namedDigitGroup).toBe(0);
    expect(factsOf('(555) 123').namedDigitGroup).toBe(0);
    expect(factsOf('voter id (NID)4718209365').namedDigitGroup).toBe(10);
    expect(factsOf('/users/1234567').namedDigitGroup).toBe(0);
    expect(factsOf('12345678').namedDigitGroup).toBe(0);
  });

  it('counts the digits in a row after a lower-case letter', () => {
    expect(factsOf('nric s1234567d').digitRunAfterLower).toBe(7);
    expect(factsOf('call +8801712345678').digitRunAfterLower).toBe(0);
    expect(factsOf('S1234567D').digitRunAfterLower).toBe(0);
    expect(factsOf('a12 b3456').digitRunAfterLower).toBe(4);
  });

  it('leaves no fact of one string on the next (the facts object is shared)', () => {
    factsOf('a&b</c>(d)-e');
    expect(marks('abcdef')).toEqual([false, false, false, false, false]);
  });
});
