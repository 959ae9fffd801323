import {
  abnValid,
  acnValid,
  base58CheckValid,
  bech32Valid,
  eip55Valid,
  hetuValid,
  itFiscalCodeValid,
  krRrnValid,
  medicareValid,
  nhsValid,
  nifLetter,
  nricValid,
  verhoeffValid,
} from '../checksums';
import { keccak256Hex } from '../keccak';

// Published examples (each scheme's documentation or Presidio's tests) and the same with one character changed.
const CASES: [name: string, valid: (text: string) => boolean, good: string[], bad: string[]][] = [
  ['Verhoeff', verhoeffValid, ['2363', '234567890124'], ['2364', '234567890123']],
  ['NHS mod 11', nhsValid, ['9434765919', '4010232137'], ['9434765918', '4010232138']],
  ['AU ABN', abnValid, ['51824753556', '53004085616'], ['51824753557', '01824753556']],
  ['AU ACN', acnValid, ['004085616', '000000019'], ['004085617', '719421837']],
  ['AU Medicare', medicareValid, ['2123456701'], ['2123456711', '1123456701']],
  [
    'SG NRIC/FIN',
    nricValid,
    ['S1234567D', 'T1234567J', 'F1234567N', 'G1234567X'],
    ['S1234567A', 'F1234567D'],
  ],
  ['IT codice fiscale', itFiscalCodeValid, ['RSSMRA85T10A562S'], ['RSSMRA85T10A562T']],
  ['FI HETU', hetuValid, ['131052-308T'], ['131052-308U', '321352-308T']],
  ['KR RRN', krRrnValid, ['9001011234568'], ['9001011234567', '9013011234568']],
  [
    'base58check',
    base58CheckValid,
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0'],
  ],
  [
    'bech32 / bech32m',
    bech32Valid,
    [
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ],
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdd', 'bc1qAr0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
  ],
  [
    'EIP-55',
    eip55Valid,
    [
      '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      'dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      'D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ],
    ['5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'fb6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
  ],
];

describe('checksums of identity numbers and wallet addresses', () => {
  it.each(CASES)(
    '%s accepts the published examples and rejects one changed character',
    (_name, valid, good, bad) => {
      for (const text of good) expect([text, valid(text)]).toEqual([text, true]);
      for (const text of bad) expect([text, valid(text)]).toEqual([text, false]);
    },
  );

  it('Spanish NIF/NIE letters follow the mod 23 table', () => {
    expect(nifLetter(12345678)).toBe('Z');
    expect(nifLetter(1234567)).toBe('L'); // NIE X1234567L
    expect(nifLetter(0)).toBe('T');
  });

  it('Keccak-256 (not SHA3-256) matches its published digests', () => {
    expect(keccak256Hex('')).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    expect(keccak256Hex('abc')).toBe('4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });
});
