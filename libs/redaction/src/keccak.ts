/**
 * Keccak-256 (the pre-standard SHA-3 padding Ethereum uses; Node's `sha3-256` pads differently), for
 * EIP-55 address checksums: one block of at most 135 bytes, each 64-bit lane as two 32-bit halves.
 */
const RC = [
  0x00000001, 0x00000000, 0x00008082, 0x00000000, 0x0000808a, 0x80000000, 0x80008000, 0x80000000, 0x0000808b,
  0x00000000, 0x80000001, 0x00000000, 0x80008081, 0x80000000, 0x00008009, 0x80000000, 0x0000008a, 0x00000000,
  0x00000088, 0x00000000, 0x80008009, 0x00000000, 0x8000000a, 0x00000000, 0x8000808b, 0x00000000, 0x0000008b,
  0x80000000, 0x00008089, 0x80000000, 0x00008003, 0x80000000, 0x00008002, 0x80000000, 0x00000080, 0x80000000,
  0x0000800a, 0x00000000, 0x8000000a, 0x80000000, 0x80008081, 0x80000000, 0x00008080, 0x80000000, 0x80000001,
  0x00000000, 0x80008008, 0x80000000,
];
const ROTATION = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];
const PI_LANE = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];
const RATE = 136;

// Scratch space, reused: the hash is synchronous.
const s = new Uint32Array(50); // lane i: low half s[2i], high half s[2i + 1]
const c = new Uint32Array(10);
const rotated = new Uint32Array(2);

/** Lane (lo, hi) rotated left by n (1–63) into `rotated`. */
function rotl(lo: number, hi: number, n: number): void {
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
  }
  if (n === 0) {
    rotated[0] = lo;
    rotated[1] = hi;
    return;
  }
  rotated[0] = (lo << n) | (hi >>> (32 - n));
  rotated[1] = (hi << n) | (lo >>> (32 - n));
}

function keccakF(): void {
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 10; x++) c[x] = s[x] ^ s[x + 10] ^ s[x + 20] ^ s[x + 30] ^ s[x + 40];
    for (let x = 0; x < 5; x++) {
      const next = ((x + 1) % 5) * 2;
      rotl(c[next], c[next + 1], 1);
      const lo = c[((x + 4) % 5) * 2] ^ rotated[0];
      const hi = c[((x + 4) % 5) * 2 + 1] ^ rotated[1];
      for (let y = 0; y < 50; y += 10) {
        s[y + 2 * x] ^= lo;
        s[y + 2 * x + 1] ^= hi;
      }
    }
    let tLo = s[2];
    let tHi = s[3];
    for (let i = 0; i < 24; i++) {
      const j = PI_LANE[i] * 2;
      const nextLo = s[j];
      const nextHi = s[j + 1];
      rotl(tLo, tHi, ROTATION[i]);
      s[j] = rotated[0];
      s[j + 1] = rotated[1];
      tLo = nextLo;
      tHi = nextHi;
    }
    for (let y = 0; y < 50; y += 10) {
      for (let x = 0; x < 10; x++) c[x] = s[y + x];
      for (let x = 0; x < 5; x++) {
        s[y + 2 * x] = c[2 * x] ^ (~c[((x + 1) % 5) * 2] & c[((x + 2) % 5) * 2]);
        s[y + 2 * x + 1] = c[2 * x + 1] ^ (~c[((x + 1) % 5) * 2 + 1] & c[((x + 2) % 5) * 2 + 1]);
      }
    }
    s[0] ^= RC[round * 2];
    s[1] ^= RC[round * 2 + 1];
  }
}

/** Keccak-256 of an ASCII string shorter than 136 bytes, as lower-case hex. */
export function keccak256Hex(ascii: string): string {
  const block = new Uint8Array(RATE);
  for (let i = 0; i < ascii.length; i++) block[i] = ascii.charCodeAt(i);
  block[ascii.length] ^= 0x01;
  block[RATE - 1] ^= 0x80;
  s.fill(0);
  const words = new DataView(block.buffer);
  for (let i = 0; i < RATE / 4; i++) s[i] = words.getUint32(i * 4, true);
  keccakF();
  let hex = '';
  for (let i = 0; i < 32; i++) {
    const byte = (s[i >> 2] >>> (8 * (i & 3))) & 0xff;
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}
