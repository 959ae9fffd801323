import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';

/**
 * The arguments of a queued task whose name says it handles an identity document (Celery logs
 * `Task kyc.tasks.verify_nid[<id>] received args:[331,"8837190246"]`): a 10-, 13- or 17-digit argument
 * has a Bangladesh NID's length and is the document's number; other arguments (a user id) stay.
 */
const TASK_ARGS = /\bargs ?[:=] ?[[(]([^[\]()\n]{1,400})[\])]/g;
// The task's name and id, on the same line shortly before `args`.
const IDENTITY_TASK_BEFORE =
  /(?<![a-z])(?:nid|e?kyc|passport|national_?id|voter_?id|smart_?card)[\w.]{0,60}\[[^\]\n]{0,64}\][^\n]{0,40}$/i;
const ID_ARGUMENT = /(?<![\w.])(["']?)(\d{17}|\d{13}|\d{10})\1(?![\w.])/g;
const LOOK_BEHIND = 200;

export function taskArgsDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'task-args',
    kinds: ['national_id'],
    gate: (input, f) => f.digitGroup >= 10 && input.includes('args'),
    pattern: TASK_ARGS,
    replace(m, input) {
      if (!IDENTITY_TASK_BEFORE.test(input.slice(Math.max(0, m.index - LOOK_BEHIND), m.index)))
        return undefined;
      const args = m[1].replace(
        ID_ARGUMENT,
        (_all, quote: string, digits: string) => quote + replacer.value('national_id', digits) + quote,
      );
      return args === m[1] ? undefined : m[0].slice(0, m[0].length - m[1].length - 1) + args + m[0].slice(-1);
    },
  };
}
