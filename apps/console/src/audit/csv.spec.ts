import { csvCell, csvRow } from './csv';

describe('CSV cells', () => {
  it('leaves plain text alone and writes nothing for absent values', () => {
    expect(csvCell('wallet.settings.viewed')).toBe('wallet.settings.viewed');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tstart', '\rstart'])(
    'makes %j inert for spreadsheets (a leading quote)',
    (formula) => {
      const cell = csvCell(formula);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1) : cell;
      expect(unquoted.startsWith("'")).toBe(true);
      expect(unquoted.slice(1)).toBe(formula);
    },
  );

  it('guards a formula that also needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it('ends a row in CRLF', () => {
    expect(csvRow(['a', 1, null, '=x'])).toBe("a,1,,'=x\r\n");
  });
});
