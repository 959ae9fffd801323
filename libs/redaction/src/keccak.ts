/**
 * Keccak-256 (the pre-standard SHA-3 padding Ethereum uses; Node's `sha3-256` pads differently), for
 * EIP-55 address checksums only: one block of at most 135 bytes, on BigInt lanes (slow, rarely run).
 */
const MASK = (1n << 64n) - 1n;
const RC = [
  0x0000000000000001n,
  0x0000000000008082n,
  0x800000000000808an,
  0x8000000080008000n,
  0x000000000000808bn,
  0x0000000080000001n,
  0x8000000080008081n,
  0x8000000000008009n,
  0x000000000000008an,
  0x0000000000000088n,
  0x0000000080008009n,
  0x000000008000000an,
  0x000000008000808bn,
  0x800000000000008bn,
  0x8000000000008089n,
  0x8000000000008003n,
  0x8000000000008002n,
  0x8000000000000080n,
  0x000000000000800an,
  0x800000008000000an,
  0x8000000080008081n,
  0x8000000000008080n,
  0x0000000080000001n,
  0x8000000080008008n,
];
const ROTATION = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];
const PI_LANE = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];
const RATE = 136;

const rotl = (x: bigint, n: number): bigint => ((x << BigInt(n)) | (x >> BigInt(64 - n))) & MASK;

function keccakF(state: bigint[]): void {
  const c: bigint[] = [0n, 0n, 0n, 0n, 0n];
  for (const rc of RC) {
    for (let i = 0; i < 5; i++)
      c[i] = state[i] ^ state[i + 5] ^ state[i + 10] ^ state[i + 15] ^ state[i + 20];
    for (let i = 0; i < 5; i++) {
      const t = c[(i + 4) % 5] ^ rotl(c[(i + 1) % 5], 1);
      for (let j = 0; j < 25; j += 5) state[j + i] ^= t;
    }
    let t = state[1];
    for (let i = 0; i < 24; i++) {
      const j = PI_LANE[i];
      const next = state[j];
      state[j] = rotl(t, ROTATION[i]);
      t = next;
    }
    for (let j = 0; j < 25; j += 5) {
      for (let i = 0; i < 5; i++) c[i] = state[j + i];
      for (let i = 0; i < 5; i++) state[j + i] = c[i] ^ (~c[(i + 1) % 5] & MASK & c[(i + 2) % 5]);
    }
    state[0] ^= rc;
  }
}

/** Keccak-256 of an ASCII string shorter than 136 bytes, as lower-case hex. */
export function keccak256Hex(ascii: string): string {
  const block = new Uint8Array(RATE);
  for (let i = 0; i < ascii.length; i++) block[i] = ascii.charCodeAt(i);
  block[ascii.length] ^= 0x01;
  block[RATE - 1] ^= 0x80;
  const state: bigint[] = new Array<bigint>(25).fill(0n);
  for (let lane = 0; lane < RATE / 8; lane++) {
    let value = 0n;
    for (let b = 7; b >= 0; b--) value = (value << 8n) | BigInt(block[lane * 8 + b]);
    state[lane] = value;
  }
  keccakF(state);
  let hex = '';
  for (let lane = 0; lane < 4; lane++) {
    for (let b = 0; b < 8; b++)
      hex += Number((state[lane] >> BigInt(8 * b)) & 0xffn)
        .toString(16)
        .padStart(2, '0');
  }
  return hex;
}
