import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';

/**
 * The arguments of a queued task whose name says what they hold (Celery logs
 * `Task kyc.tasks.verify_nid[<id>] received args:[331,"8837190246"]`; a JSON event has
 * `"task": "wallet.tasks.payout_rocket", "args": ["018781087878", "2500.00"]`):
 * - a task named for an identity document: a 10-, 13- or 17-digit argument has a Bangladesh NID's length;
 * - a task named for a wallet or a phone (bkash, nagad, rocket, wallet, payout, msisdn, phone): an
 *   11-digit BD mobile is the account's phone, a 12-digit one (a Rocket account: the mobile and a
 *   check digit) the account.
 * Other arguments (a user id, an amount) stay.
 */
const TASK_ARGS = /\bargs"? ?[:=] ?[[(]([^[\]()\n]{1,400})[\])]/g;
// The task's name and id, on the same line shortly before `args`.
const IDENTITY_TASK_BEFORE =
  /(?<![a-z])(?:nid|e?kyc|passport|national_?id|voter_?id|smart_?card)[\w.]{0,60}\[[^\]\n]{0,64}\][^\n]{0,40}$/i;
// A wallet task's name, with its id or not (a JSON event: `"task": "…", "args": […]`), and no other
// bracket between it and `args` (no earlier task's arguments).
const WALLET_TASK_BEFORE =
  /(?<![a-z])(?:bkash|nagad|rocket|wallet|payout|msisdn|phone)[\w.]{0,60}(?:\[[^\]\n]{0,64}\])?[^\n[\]]{0,40}$/i;
const ID_ARGUMENT = /(?<![\w.])(["']?)(\d{17}|\d{13}|\d{10})\1(?![\w.])/g;
const WALLET_ARGUMENT = /(?<![\w.])(["']?)((?:880)?01[3-9]\d{8}(\d)?)\1(?![\w.])/g;
const LOOK_BEHIND = 200;

function replaceArguments(args: string, before: string, replacer: Replacer): string {
  if (IDENTITY_TASK_BEFORE.test(before))
    return args.replace(
      ID_ARGUMENT,
      (_all, quote: string, digits: string) => quote + replacer.value('national_id', digits) + quote,
    );
  if (WALLET_TASK_BEFORE.test(before))
    return args.replace(
      WALLET_ARGUMENT,
      (_all, quote: string, digits: string, check: string | undefined) =>
        quote + replacer.value(check === undefined ? 'phone' : 'account_number', digits) + quote,
    );
  return args;
}

export function taskArgsDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'task-args',
    kinds: ['national_id', 'phone', 'account_number'],
    gate: (input, f) => f.digitGroup >= 10 && input.includes('args'),
    pattern: TASK_ARGS,
    replace(m, input) {
      const before = input.slice(Math.max(0, m.index - LOOK_BEHIND), m.index);
      const args = replaceArguments(m[1], before, replacer);
      return args === m[1] ? undefined : m[0].slice(0, m[0].length - m[1].length - 1) + args + m[0].slice(-1);
    },
  };
}
