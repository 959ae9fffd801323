import { createHash } from 'node:crypto';

import { keccak256Hex } from './keccak';

/** Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN check: 15–34 alphanumerics, country letters, check digits, mod 97 === 1. */
export function ibanValid(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34 || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    const value = code >= 65 ? code - 55 : code - 48; // A=10 … Z=35
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** US SSN outside the never-issued ranges: area 000, 666, 900–999; group 00; serial 0000. */
export function ssnPossible(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

const digitAt = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** Sum of `digits[i] * weights[i]` over the weights' length. */
function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += digitAt(digits, i) * weights[i];
  return sum;
}

// Verhoeff dihedral-group tables (Aadhaar's check digit).
const VERHOEFF_D = [
  '0123456789',
  '1234067895',
  '2340178956',
  '3401289567',
  '4012395678',
  '5987604321',
  '6598710432',
  '7659821043',
  '8765932104',
  '9876543210',
];
const VERHOEFF_P = [
  '0123456789',
  '1576283094',
  '5803796142',
  '8916043527',
  '9453126870',
  '4286573901',
  '2793806415',
  '7046913258',
];

/** Verhoeff check over a string of digits (the last is the check digit). */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digitAt(digits, digits.length - 1 - i);
    c = digitAt(VERHOEFF_D[c], digitAt(VERHOEFF_P[i % 8], d));
  }
  return c === 0;
}

/** UK NHS number: 10 digits, weights 10…2, check = 11 − sum mod 11 (11 → 0, 10 never issued). */
export function nhsValid(digits: string): boolean {
  const check = 11 - (weightedSum(digits, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  return (check === 11 ? 0 : check) === digitAt(digits, 9);
}

/** AU business number: 11 digits, first digit minus 1, weighted sum divisible by 89. */
export const abnValid = (digits: string): boolean =>
  digits[0] !== '0' && (weightedSum(digits, [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) - 10) % 89 === 0;

/** AU company number (Presidio's AuAcnRecognizer): 9 digits, weights 8…1, check = (10 − sum mod 10) mod 10. */
export const acnValid = (digits: string): boolean =>
  (10 - (weightedSum(digits, [8, 7, 6, 5, 4, 3, 2, 1]) % 10)) % 10 === digitAt(digits, 8);

/** AU Medicare card: first digit 2–6, 9th digit = weighted sum of the first 8 mod 10. */
export const medicareValid = (digits: string): boolean =>
  digits[0] >= '2' &&
  digits[0] <= '6' &&
  weightedSum(digits, [1, 3, 7, 9, 1, 3, 7, 9]) % 10 === digitAt(digits, 8);

/** Singapore NRIC/FIN `S1234567D`: weights 2765432, an offset per series, a check letter table. */
export function nricValid(id: string): boolean {
  const series = id[0];
  const offset = series === 'T' || series === 'G' ? 4 : series === 'M' ? 3 : 0;
  const r = (weightedSum(id.slice(1, 8), [2, 7, 6, 5, 4, 3, 2]) + offset) % 11;
  const table =
    series === 'S' || series === 'T' ? 'JZIHGFEDCBA' : series === 'M' ? 'XWUTRQPNJLK' : 'XWUTRQPNMLK';
  return table[r] === id[8];
}

/** Spanish DNI/NIF letter for an 8-digit number (NIE: X, Y, Z stand for 0, 1, 2). */
export const nifLetter = (number: number): string => 'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23];

// Italian fiscal code: what a character in an odd (1st, 3rd, …) position is worth; digits as A–J.
const IT_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** Italian codice fiscale (16 characters): the last letter is the check character. */
export function itFiscalCodeValid(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = code.charCodeAt(i);
    const value = c <= 57 ? c - 48 : c - 65;
    sum += i % 2 === 0 ? IT_ODD[value] : value;
  }
  return String.fromCharCode(65 + (sum % 26)) === code[15];
}

const validDay = (day: number, month: number): boolean => month >= 1 && month <= 12 && day >= 1 && day <= 31;

/** Finnish HETU `DDMMYY-NNNC`: check = table[DDMMYYNNN mod 31], a real month and day. */
export function hetuValid(code: string): boolean {
  if (!validDay(Number(code.slice(0, 2)), Number(code.slice(2, 4)))) return false;
  const n = Number(code.slice(0, 6) + code.slice(7, 10));
  return '0123456789ABCDEFHJKLMNPRSTUVWXY'[n % 31] === code[10];
}

/** Korean resident registration number: YYMMDD, a sex/century digit 1–8, check = (11 − sum mod 11) mod 10. */
export function krRrnValid(digits: string): boolean {
  if (!validDay(Number(digits.slice(4, 6)), Number(digits.slice(2, 4)))) return false;
  if (digits[6] < '1' || digits[6] > '8') return false;
  const sum = weightedSum(digits, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]);
  return (11 - (sum % 11)) % 10 === digitAt(digits, 12);
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** Bitcoin P2PKH/P2SH address: base58 of 25 bytes, version 0x00 or 0x05, double-SHA-256 checksum. */
export function base58CheckValid(address: string): boolean {
  // Base 58 to 256 on a byte array (schoolbook), cheaper than BigInt for 25 bytes.
  const bytes = new Uint8Array(25);
  for (let i = 0; i < address.length; i++) {
    let carry = BASE58.indexOf(address[i]);
    if (carry < 0) return false;
    for (let j = 24; j >= 0; j--) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    if (carry !== 0) return false;
  }
  if (bytes[0] !== 0x00 && bytes[0] !== 0x05) return false;
  const check = sha256(sha256(bytes.subarray(0, 21)));
  return check.subarray(0, 4).equals(bytes.subarray(21));
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** Bitcoin segwit address `bc1…`: bech32 (v0) or bech32m (v1+) checksum over the `bc` prefix. */
export function bech32Valid(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower !== address && address.toUpperCase() !== address) return false;
  const values = [3, 3, 0, 2, 3]; // the expanded prefix "bc"
  for (let i = 3; i < lower.length; i++) {
    const v = BECH32.indexOf(lower[i]);
    if (v < 0) return false;
    values.push(v);
  }
  let checksum = 1;
  for (const v of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum ^= BECH32_GENERATOR[i];
  }
  checksum >>>= 0;
  return values[5] === 0 ? checksum === 1 : checksum === 0x2bc830a3;
}

/** EIP-55: an Ethereum address in mixed case whose letters' case spells Keccak-256 of the address. */
export function eip55Valid(hex40: string): boolean {
  const hash = keccak256Hex(hex40.toLowerCase());
  for (let i = 0; i < 40; i++) {
    const c = hex40.charCodeAt(i);
    if (c < 65) continue; // a digit
    const upper = c <= 70;
    if (upper !== parseInt(hash[i], 16) >= 8) return false;
  }
  return true;
}
