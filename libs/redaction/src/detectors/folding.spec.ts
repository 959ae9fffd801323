import { redactString } from '../index';
import { factsOf } from '../string-facts';
import { foldDigits } from './folding';

describe('digits of other scripts', () => {
  it.each([
    ['Bengali', '০১৭১২৩৪৫৬৭৮', '01712345678'],
    ['Devanagari', '९८७६५४३२१०', '9876543210'],
    ['Arabic-Indic', '٩٧١٥٠١٢٣٤٥٦٧', '971501234567'],
    ['extended Arabic-Indic (Persian)', '۰۹۱۲۳۴۵۶۷۸۹', '09123456789'],
    ['fullwidth', '０１７１２３４５６７８', '01712345678'],
    ['mixed with ASCII and words', 'ফোন ০১৭12345678।', 'ফোন 01712345678।'],
  ])('%s fold to ASCII digits at the same indexes', (_script, input, folded) => {
    expect(foldDigits(input)).toBe(folded);
    expect(foldDigits(input)).toHaveLength(input.length);
  });

  it('leaves a string without such digits as it is', () => {
    expect(foldDigits('নাম: রহিম, id 42')).toBe('নাম: রহিম, id 42');
  });

  it.each([
    ['Bengali', 'মোবাইল: ', '০১৭১২-৩৪৫৬৭৮'],
    ['Devanagari', 'mobile: ', '९८७६५४३२१०'],
    ['Arabic-Indic', 'هاتف ', '+٩٧١ ٥٠ ١٢٣ ٤٥٦٧'],
    ['fullwidth', 'tel ', '０１７１２３４５６７８'],
  ])('a phone number in %s digits is found and replaced in the original text', (_script, before, phone) => {
    expect(redactString(before + phone)).toBe(`${before}[REDACTED:phone]`);
  });

  it('string facts flag non-ASCII digits and tell grouped digits from a plain run', () => {
    expect(factsOf('মোবাইল ০১৭').otherDigits).toBe(true);
    expect(factsOf('মোবাইল নম্বর').otherDigits).toBe(false);
    expect(factsOf('মোবাইল নম্বর').nonAscii).toBe(true);
    const grouped = factsOf('aadhaar 2345 6789 0124');
    expect([grouped.digitGroup, grouped.digitRun]).toEqual([12, 4]);
    const plain = factsOf('+8801712345678');
    expect([plain.digitGroup, plain.digitRun]).toEqual([13, 13]);
  });
});
