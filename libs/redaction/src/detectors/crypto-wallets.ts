import { base58CheckValid, bech32Valid, eip55Valid } from '../checksums';
import type { Replacer } from '../strategies';
import { type PassDetector, scan } from '../value-detectors';

/**
 * Wallet addresses (Presidio's crypto_recognizer covers Bitcoin; Ethereum added): base58check P2PKH
 * `1…`/P2SH `3…`, bech32/bech32m `bc1…` (each by its checksum), and `0x` + 40 hex. A transaction hash
 * (`0x` + 64 hex) or a git SHA (no `0x`) is not 40 hex after `0x` and stays.
 */
const WALLET =
  /(?<![\w/])(?:([13][1-9A-HJ-NP-Za-km-z]{25,34})|(bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})|0x([0-9a-fA-F]{40}))(?![\w/])/g;

/**
 * An all-lower (or all-upper) hex address carries no checksum, but `0x` and exactly 40 hex digits,
 * bounded, is an address's shape alone (a transaction hash has 64, a selector 8) in any language's
 * prose (`Einzahlung von 0x90e7…3cb8 erhalten`); a mixed-case one must pass EIP-55.
 */
function walletValid(m: RegExpExecArray): boolean {
  if (m[1] !== undefined) return base58CheckValid(m[1]);
  if (m[2] !== undefined) return bech32Valid(m[2]);
  const hex = m[3];
  const mixed = /[a-f]/.test(hex) && /[A-F]/.test(hex);
  return !mixed || eip55Valid(hex);
}

// Checksums cost a few microseconds each; past this many in one string (only hostile text has so
// many address-shaped runs) the rest are removed unchecked, which errs on the side of privacy.
const CHECKS_PER_STRING = 1_000;

export function cryptoWalletDetector(replacer: Replacer): PassDetector {
  return {
    rule: 'crypto-wallet',
    kinds: ['crypto_wallet'],
    gate: (input, f) => input.length >= 26 && (f.upper >= 3 || input.includes('0x') || input.includes('bc1')),
    run(input) {
      let budget = CHECKS_PER_STRING;
      return scan(input, {
        kinds: ['crypto_wallet'],
        pattern: WALLET,
        replace: (m) => (budget-- <= 0 || walletValid(m) ? replacer.value('crypto_wallet', m[0]) : undefined),
      });
    },
  };
}
