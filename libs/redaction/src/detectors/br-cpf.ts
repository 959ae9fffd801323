import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';

/**
 * Brazil's CPF (Presidio's BrCpfRecognizer): 11 digits whose last two are mod-11 check digits. Written
 * `ddd.ddd.ddd-dd` it is taken anywhere its checks pass (a version or an address has no `-dd` tail);
 * after the word `CPF` and up to three words (`CPF do titular: 348.110.627-01`), grouped or not, the
 * word decides as for other countries' ids.
 */
const CPF = new RegExp(
  String.raw`(?<![\w.-])(\d{3}\.\d{3}\.\d{3}-\d{2})(?![\w-]|\.\d)|(?<![\p{L}\p{N}_])(cpf(?:[ \t]{1,3}\p{L}{1,15}){0,3}[ \t]{0,3}[:=#]?[ \t]{0,3}["']?)(\d{3}\.?\d{3}\.?\d{3}-?\d{2})(?![\p{L}\p{N}_-])`,
  'giu',
);

/** Both check digits of a CPF's 11 digits; a run of one digit (`111.111.111-11`) passes them and is no CPF. */
export function cpfValid(digits: string): boolean {
  if (digits.length !== 11 || /^(\d)\1{10}$/.test(digits)) return false;
  for (const checked of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < checked; i++) sum += Number(digits[i]) * (checked + 1 - i);
    if (((sum * 10) % 11) % 10 !== Number(digits[checked])) return false;
  }
  return true;
}

export function brCpfDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'br-cpf',
    kinds: ['national_id'],
    // 11 digits in one group; the bare shape has two dots and a dash, the named one the word's letters.
    gate: (input, f) =>
      f.digitGroup >= 11 &&
      ((f.dash && f.dottedDigits >= 2) || (f.lower + f.upper >= 3 && /cpf/i.test(input))),
    pattern: CPF,
    replace(m) {
      if (m[1] !== undefined)
        return cpfValid(m[1].replace(/\D/g, '')) ? replacer.value('national_id', m[1]) : undefined;
      return m[2] + replacer.value('national_id', m[3]);
    },
  };
}
