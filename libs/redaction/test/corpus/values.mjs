// Value makers for the corpus generator: a seeded generator (the corpus is the same on every run) and
// identifiers that pass the checksum their anchor validates (Luhn, ISO 13616, NHS mod 11, Verhoeff, NRIC,
// TFN, NIF, codice fiscale, base58check, bech32), so a detector that checks them is tested fairly.
import { createHash } from 'node:crypto';

let state = 20261207;
/** Restarts the sequence; each category file reseeds from its name so editing one leaves the others unchanged. */
export function reseed(text) {
  state = 2166136261;
  for (const ch of text) state = Math.imul(state ^ ch.charCodeAt(0), 16777619) >>> 0;
  state = state || 1;
}
/** Uniform in [0, 1) (xorshift32). */
export function random() {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 4294967296;
}
export const int = (min, max) => min + Math.floor(random() * (max - min + 1));
export const pick = (list) => list[Math.floor(random() * list.length)];
export const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
const from = (alphabet, n) => Array.from({ length: n }, () => alphabet[int(0, alphabet.length - 1)]).join('');
export const hex = (n) => from('0123456789abcdef', n);
export const HEX_UPPER = '0123456789ABCDEF';
export const upperHex = (n) => from(HEX_UPPER, n);
export const alnum = (n) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', n);
export const upperAlnum = (n) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', n);
export const lowerAlnum = (n) => from('abcdefghijklmnopqrstuvwxyz0123456789', n);
export const letters = (n) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZ', n);
export const b64chars = (n) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', n);
export const b64url = (n) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', n);
export const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;

/** Luhn check digit of a digit string. */
export function luhnDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
const CARD_PREFIXES = [
  ['4', 16],
  ['51', 16],
  ['55', 16],
  ['2221', 16],
  ['34', 15],
  ['37', 15],
  ['6011', 16],
  ['3528', 16],
  ['36', 14],
  ['62', 16],
];
/** A card number that passes Luhn; `prefix` picks a network. */
export function card(prefix) {
  const [head, length] = prefix
    ? (CARD_PREFIXES.find(([p]) => p === prefix) ?? [prefix, 16])
    : pick(CARD_PREFIXES);
  const body = head + digits(length - head.length - 1);
  return body + luhnDigit(body);
}
/** The same digits with a wrong check digit (a 16-digit number that is not a card). */
export function notCard(length = 16) {
  const body = String(int(1, 9)) + digits(length - 2);
  const right = Number(luhnDigit(body));
  return body + String((right + int(1, 9)) % 10);
}
/** `text` with its last digit changed when the digits pass Luhn: a long id that is not a card number. */
export function nonLuhn(text) {
  const d = text.replace(/\D/g, '');
  if (luhnDigit(d.slice(0, -1)) !== d.at(-1)) return text;
  return text.slice(0, -1) + String((Number(text.at(-1)) + 1) % 10);
}
/** A 10-digit number that fails the NHS mod 11 check (an invoice number, not an NHS number). */
export function notNhs() {
  for (;;) {
    const value = String(int(1, 9)) + digits(9);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    if (check !== Number(value[9])) return value;
  }
}
/** A 9-digit number that fails the TFN check. */
export function notTfn() {
  const weights = [1, 4, 3, 7, 5, 8, 6, 9, 10];
  for (;;) {
    const value = String(int(1, 9)) + digits(8);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(value[i]) * weights[i];
    if (sum % 11 !== 0) return value;
  }
}
export const groupCard = (number, sep = ' ') =>
  number.length === 15
    ? `${number.slice(0, 4)}${sep}${number.slice(4, 10)}${sep}${number.slice(10)}`
    : number.replace(/(\d{4})(?=\d)/g, `$1${sep}`);

function mod97(text) {
  let rest = 0;
  for (const ch of text) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}
const IBAN_SHAPES = {
  DE: 'n18',
  GB: 'a4n14',
  FR: 'n10a11n2',
  ES: 'n20',
  NL: 'a4n10',
  IT: 'a1n10a12',
  BE: 'n12',
  CH: 'n17',
  PL: 'n24',
  SE: 'n20',
  IE: 'a4n14',
  AT: 'n16',
  PT: 'n21',
  SA: 'n18',
  AE: 'n19',
  PK: 'a4n16',
};
/** A valid IBAN of `country` (ISO 13616 mod 97 check digits), electronic form. */
export function iban(country = pick(Object.keys(IBAN_SHAPES))) {
  let bban = '';
  for (const [, kind, n] of IBAN_SHAPES[country].matchAll(/([an])(\d+)/g))
    bban +=
      kind === 'a'
        ? country === 'IT' && n === '12'
          ? upperAlnum(12)
          : letters(Number(n))
        : digits(Number(n));
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}
export const groupIban = (value) => value.replace(/(.{4})(?=.)/g, '$1 ');

/** NHS number: 9 digits and a mod 11 check digit (weights 10..2); 10 is not valid. */
export function nhs() {
  for (;;) {
    const body = String(int(4, 7)) + digits(8);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return body + String(check === 11 ? 0 : check);
  }
}
/** UK National Insurance number (HMRC prefix rules, suffix A-D). */
export function nino() {
  const first = 'ABCEGHJKLMNOPRSTWXYZ';
  const second = 'ABCEGHJKLMNPRSTWXYZ';
  for (;;) {
    const prefix = pick([...first]) + pick([...second]);
    if (['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(prefix)) continue;
    return `${prefix}${digits(6)}${pick(['A', 'B', 'C', 'D'])}`;
  }
}
/** US SSN: area not 000/666/9xx, group not 00, serial not 0000. */
export function ssn(sep = '-') {
  let area;
  do area = int(1, 899);
  while (area === 666);
  return `${String(area).padStart(3, '0')}${sep}${String(int(1, 99)).padStart(2, '0')}${sep}${String(int(1, 9999)).padStart(4, '0')}`;
}
/** US ITIN: 9xx, group 50-65, 70-88, 90-92 or 94-99. */
export function itin(sep = '-') {
  const group = pick([int(50, 65), int(70, 88), int(90, 92), int(94, 99)]);
  return `9${digits(2)}${sep}${group}${sep}${digits(4).replace(/^0000$/, '1234')}`;
}
// The Verhoeff multiplication table, as published.
// prettier-ignore
const VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]];
// The Verhoeff permutation table, as published.
// prettier-ignore
const VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]];
const VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];
/** Aadhaar: 12 digits, first 2-9, Verhoeff check digit. */
export function aadhaar() {
  const body = String(int(2, 9)) + digits(10);
  let c = 0;
  const reversed = [...body].reverse();
  for (let i = 0; i < reversed.length; i++) c = VD[c][VP[(i + 1) % 8][Number(reversed[i])]];
  return body + String(VINV[c]);
}
/** Indian PAN: 3 letters, holder type (P person), 1 letter, 4 digits, 1 letter. */
export const pan = () => `${letters(3)}P${letters(1)}${digits(4)}${letters(1)}`;
/** Singapore NRIC/FIN with its check letter. */
export function nric() {
  const prefix = pick(['S', 'T']);
  const body = digits(7);
  const weights = [2, 7, 6, 5, 4, 3, 2];
  let sum = prefix === 'T' ? 4 : 0;
  for (let i = 0; i < 7; i++) sum += Number(body[i]) * weights[i];
  return `${prefix}${body}${'JZIHGFEDCBA'[sum % 11]}`;
}
/** Australian TFN: 9 digits, weights 1,4,3,7,5,8,6,9,10, sum divisible by 11. */
export function tfn() {
  const weights = [1, 4, 3, 7, 5, 8, 6, 9, 10];
  for (;;) {
    const value = String(int(1, 9)) + digits(8);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(value[i]) * weights[i];
    if (sum % 11 === 0) return value;
  }
}
/** Spanish DNI/NIF (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter). */
export function nif(kind = 'dni') {
  const letter = (n) => 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23];
  if (kind === 'dni') {
    const n = digits(8);
    return n + letter(Number(n));
  }
  const head = pick(['X', 'Y', 'Z']);
  const n = digits(7);
  return head + n + letter(Number(String('XYZ'.indexOf(head)) + n));
}
const CF_ODD = {
  0: 1,
  1: 0,
  2: 5,
  3: 7,
  4: 9,
  5: 13,
  6: 15,
  7: 17,
  8: 19,
  9: 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};
/** Italian codice fiscale with its check character. */
export function fiscalCode() {
  const body = `${letters(6)}${digits(2)}${pick([...'ABCDEHLMPRST'])}${String(int(1, 71)).padStart(2, '0')}${letters(1)}${digits(3)}`;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = body[i];
    if (i % 2 === 0) sum += CF_ODD[ch];
    else sum += /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
  }
  return body + String.fromCharCode(65 + (sum % 26));
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const sha256 = (buffer) => createHash('sha256').update(buffer).digest();
function base58check(version, payload) {
  const data = Buffer.concat([Buffer.from([version]), payload]);
  const full = Buffer.concat([data, sha256(sha256(data)).subarray(0, 4)]);
  let n = BigInt(`0x${full.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of full) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
const randomBytes20 = () => Buffer.from(hex(40), 'hex');
/** Bitcoin P2PKH (1…) or P2SH (3…) address with a valid base58check checksum. */
export const btcLegacy = (kind = 'p2pkh') => base58check(kind === 'p2pkh' ? 0 : 5, randomBytes20());
const BECH = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
function polymod(values) {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i];
  }
  return chk >>> 0;
}
/** Bitcoin bech32 P2WPKH address (bc1q…) with a valid checksum. */
export function btcBech32() {
  const program = randomBytes20();
  const five = [0];
  let acc = 0;
  let bits = 0;
  for (const byte of program) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      five.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) five.push((acc << (5 - bits)) & 31);
  const hrp = 'bc';
  const expanded = [
    ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
    0,
    ...[...hrp].map((c) => c.charCodeAt(0) & 31),
  ];
  const mod = polymod([...expanded, ...five, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...five, ...checksum].map((v) => BECH[v]).join('')}`;
}
export const ethAddress = () => `0x${hex(40)}`;

const BN = '০১২৩৪৫৬৭৮৯';
/** ASCII digits written as Bengali digits (০-৯). */
export const bengali = (text) => text.replace(/\d/g, (d) => BN[Number(d)]);

const BD_OPERATORS = ['13', '14', '15', '16', '17', '18', '19'];
/** A Bangladeshi mobile number, national form 01XXXXXXXXX. */
export const bdMobile = () => `01${pick(BD_OPERATORS).slice(1)}${digits(8)}`;

export const FIRST = [
  'Rahim',
  'Karim',
  'Nusrat',
  'Tanvir',
  'Farhana',
  'Ayesha',
  'Sakib',
  'Mitu',
  'Jannatul',
  'Mahmudul',
  'Sharmin',
  'Rafiq',
  'Olivia',
  'Liam',
  'Priya',
  'Arjun',
  'Chen',
  'Mei',
  'Lucas',
  'Sofia',
  'Hannah',
  'Mateo',
  'Amelia',
  'Noah',
  'Isabella',
  'Yusuf',
  'Fatema',
  'Imran',
  'Tahmina',
  'Shuvo',
];
export const LAST = [
  'Uddin',
  'Hossain',
  'Rahman',
  'Chowdhury',
  'Akter',
  'Islam',
  'Begum',
  'Sarker',
  'Haque',
  'Talukder',
  'Smith',
  'Johnson',
  'Okafor',
  'Sharma',
  'Patel',
  'Nguyen',
  'Garcia',
  'Rossi',
  'Müller',
  'Tanaka',
  'Kowalski',
  'Fernández',
  'Siddiqui',
  'Mahmud',
  'Bhuiyan',
];
const used = new Set();
/** A first and last name pair not used before in this run (values must be distinctive for substring checks). */
export function person() {
  for (;;) {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    if (used.size > 700) used.clear();
  }
}
const DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'proton.me',
  'example.com',
  'mail.ru',
  'icloud.com',
  'bracu.ac.bd',
  'company.co.uk',
  'gmx.de',
];
/** A distinctive e-mail address (a name and a number). */
export const email = (name = person()) =>
  `${name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .replace(' ', pick(['.', '_', '']))}${int(10, 999)}@${pick(DOMAINS)}`;
/** Public-looking IPv4 from documentation and ordinary ranges (never loopback or 0.0.0.0). */
export const ipv4 = () =>
  `${pick([203, 198, 192, 103, 37, 81, 45, 172, 10, 100])}.${int(1, 254)}.${int(1, 254)}.${int(2, 254)}`;
export const ipv6 = () => `2001:db8:${hex(4)}:${hex(3)}1::${hex(2)}${int(1, 9)}`;
/** An ISO timestamp in 2024–2026. */
export const isoTime = () =>
  `202${int(4, 6)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}T${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}.${digits(3)}Z`;
export const epoch = () => String(int(1_700_000_000, 1_790_000_000));
export const epochMs = () => `${epoch()}${digits(3)}`;
export const sha1 = () => hex(40);
export const traceId = () => hex(32);
export const spanId = () => hex(16);
export const password = () =>
  `${pick(['Tr0ub4dor', 'Sunfl0wer', 'Dhaka', 'P@ssw0rd', 'Monsoon', 'Kolkata', 'hunter', 'Zebra'])}${pick(['!', '#', '$', '&', '_', '%'])}${int(100, 9999)}${letters(2).toLowerCase()}`;
export const orderNo = () => `ORD-${int(2024, 2026)}-${digits(6)}`;
export const invoiceNo = () => `INV-${digits(8)}`;
export const price = () => `${int(1, 4999)}.${String(int(0, 99)).padStart(2, '0')}`;
export const dateOnly = (y0 = 2024, y1 = 2026) =>
  `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
export const version = () => `${int(1, 9)}.${int(0, 30)}.${int(0, 40)}`;
/** An ISBN-13 with its check digit. */
export function isbn13() {
  const body = `978${int(0, 1)}${digits(8)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}
/** A UPS tracking number (1Z…) and a USPS one (94…, 22 digits). */
export const upsTracking = () => `1Z${upperAlnum(6)}${digits(10)}`;
export const uspsTracking = () => `9400${digits(18)}`;
