import { base58CheckValid, bech32Valid, eip55Valid } from '../checksums';
import type { Replacer } from '../strategies';
import { type PassDetector, scan } from '../value-detectors';
import { textBefore } from './context';

/**
 * Wallet addresses (Presidio's crypto_recognizer covers Bitcoin; Ethereum added): base58check P2PKH
 * `1…`/P2SH `3…`, bech32/bech32m `bc1…` (each by its checksum), and `0x` + 40 hex. A transaction hash
 * (`0x` + 64 hex) or a git SHA (no `0x`) is not 40 hex after `0x` and stays.
 */
const WALLET =
  /(?<![\w/])(?:([13][1-9A-HJ-NP-Za-km-z]{25,34})|(bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})|0x([0-9a-fA-F]{40}))(?![\w/])/g;

// An all-lower (or all-upper) hex address carries no checksum: a word before it decides (Presidio's context),
// or nothing around it: a value that is only an address (`{"from": "0x…"}`) is a field holding one.
const WALLET_BEFORE =
  /(?<![a-z])(?:wallet|address|addr|eth|ether|ethereum|erc-?20|usdt|recipient|sender|beneficiary|payout|withdraw(?:al)?|deposit|send|sent|transfer(?:red)?|to|from|account)\b[^\n]{0,20}$/i;

function walletValid(m: RegExpExecArray, input: string): boolean {
  if (m[1] !== undefined) return base58CheckValid(m[1]);
  if (m[2] !== undefined) return bech32Valid(m[2]);
  const hex = m[3];
  const mixed = /[a-f]/.test(hex) && /[A-F]/.test(hex);
  if (mixed) return eip55Valid(hex);
  return m[0].length === input.length || WALLET_BEFORE.test(textBefore(input, m.index, 32));
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
        replace: (m, text) =>
          budget-- <= 0 || walletValid(m, text) ? replacer.value('crypto_wallet', m[0]) : undefined,
      });
    },
  };
}
