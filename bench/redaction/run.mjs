// bench/redaction: throughput of libs/redaction on a mix of log lines and audit events, side by side in the same
// run with (a) fast-redact, pino's key-path redaction, doing only the key-name part, and (b) a naive regex pass over
// the serialized JSON. Every contender turns one object into one JSON line, as a logger or an audit store would.
// The machine is shared and noisy: the contenders run in short interleaved slices and each one's figure is the
// median of its slices, so a burst of load hits all three alike.
// No Postgres and no service: the library runs in this process. The run fails (no last line) when ours leaves
// any planted value in its output. BENCH_SMOKE=1: a small corpus and short slices, same check.
// Then the public corpus (libs/redaction/test/corpus) is scored with our redactor: one line per category, and
// corpus_recall / corpus_keep in the last line. Below 0.99 / 0.99 the run fails without that line, unless the gate
// is off (--no-corpus-gate or BENCH_CORPUS_GATE=0) while detectors are still landing.
// Usage: node bench/redaction/run.mjs [--objects 2000] [--ms 250] [--rounds 12] [--no-corpus-gate]
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { formatTable, loadCorpus, scoreCorpus } from '../../libs/redaction/test/corpus/score.mjs';
import { check, log, SMOKE, sized } from '../shared.mjs';
import { buildCorpus, planted } from './corpus.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: sized('2000', '300') },
    ms: { type: 'string', default: sized('250', '20') },
    rounds: { type: 'string', default: sized('12', '2') },
    'no-corpus-gate': { type: 'boolean', default: false },
  },
});
const CORPUS_GATE = !values['no-corpus-gate'] && process.env.BENCH_CORPUS_GATE !== '0';
const MIN_CORPUS_RECALL = 0.99;
const MIN_CORPUS_KEEP = 0.99;
const OBJECTS = Math.min(Number(values.objects), 100_000);
const MS = Math.min(Number(values.ms), 5_000);
const ROUNDS = Math.min(Number(values.rounds), 50);

// The library as the services load it: its build output, compiled now so the bench measures the current source.
// BENCH_SKIP_BUILD=1 runs the build output as it is (`npm test` has just built it).
if (!process.env.BENCH_SKIP_BUILD) {
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'libs/redaction/tsconfig.build.json')],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
const { createRedactor } = require(path.join(root, 'libs/redaction/dist/index.js'));
const fastRedact = require('fast-redact');

const corpus = buildCorpus(OBJECTS);
const bytes = corpus.reduce((sum, object) => sum + Buffer.byteLength(JSON.stringify(object)), 0);

// (ours) every key name and every string value.
const redactor = createRedactor();
const vigil = (object) => JSON.stringify(redactor.redact(object));

// (a) pino's redact: the key paths an operator would configure for these shapes; values are not scanned.
const keyPaths = fastRedact({
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'user.email',
    'body.password',
    'actor.ip',
    'metadata.customer_email',
    'metadata.bkash_number',
    'changes.emergency_contact',
    '*.password',
    '*.token',
    '*.email',
  ],
  censor: '[REDACTED]',
});

// (b) naive: serialize, then every pattern over the whole line, no pre-checks.
const luhn = (digits) => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
};
/** @type {[RegExp, (match: string, ...groups: string[]) => string][]} */
const NAIVE = [
  [
    /"(?:[^"]*(?:password|passwd|secret|token|api_?key|authorization|cookie|email|phone|ssn|card_?number|cvv|account_?number|bkash_?number|full_?name|date_?of_?birth|emergency_?contact|ip))"\s*:\s*(?:"(?:[^"\\]|\\.)*"|[^,}\]]+)/gi,
    (m) => `${m.slice(0, m.indexOf(':') + 1)}"[REDACTED]"`,
  ],
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    () => '[REDACTED:private_key]',
  ],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, (_m, scheme) => `${scheme} [REDACTED]`],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, () => '[REDACTED:jwt]'],
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"]*:)[^\s/?#@"]+@/gi, (_m, head) => `${head}[REDACTED]@`],
  [
    /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bxox[abposr]-[A-Za-z0-9-]{10,}|\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}/g,
    () => '[REDACTED:token]',
  ],
  [/[A-Za-z0-9._%+-]+(?:@|%40)(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g, () => '[REDACTED:email]'],
  [/\b\d(?:[ -]?\d){12,18}\b/g, (m) => (luhn(m.replace(/\D/g, '')) ? '[REDACTED:card]' : m)],
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, (m) => m],
  [/\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g, () => '[REDACTED:ssn]'],
  [/\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g, () => '[REDACTED:ipv4]'],
  [
    /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4})?\b/gi,
    () => '[REDACTED:ipv6]',
  ],
  [
    /\+[1-9][\d \-()]{7,18}\d\b|\b\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|\b01[3-9]\d{8}\b/g,
    () => '[REDACTED:phone]',
  ],
];
const naive = (object) => {
  let line = JSON.stringify(object);
  for (const [pattern, replace] of NAIVE) line = line.replace(pattern, replace);
  return line;
};

const contenders = [
  ['vigil', vigil],
  ['fast_redact', keyPaths],
  ['naive', naive],
];

function leaks(run) {
  let count = 0;
  const lines = corpus.map(run).join('\n');
  for (const value of planted) if (lines.includes(value)) count++;
  return count;
}

function measure(run) {
  let objects = 0;
  let sink = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(MS) * 1_000_000n;
  let now = started;
  while (now < deadline) {
    for (const object of corpus) sink += run(object).length;
    objects += corpus.length;
    now = process.hrtime.bigint();
  }
  if (sink === 0) throw new Error('nothing serialized');
  const seconds = Number(now - started) / 1e9;
  return { objectsPerS: objects / seconds, mbPerS: ((objects / corpus.length) * bytes) / seconds / 1e6 };
}

console.log(
  `corpus: ${corpus.length} objects (log lines and audit events), ${(bytes / 1e6).toFixed(2)} MB serialized, ` +
    `${planted.length} planted secrets and personal values`,
);
console.log(`postgres: not used (the library runs in this process)${SMOKE ? '; smoke run' : ''}`);
for (const [name, run] of contenders) {
  const left = leaks(run);
  console.log(`${name.padEnd(12)} planted values left in output: ${left} of ${planted.length}`);
  if (name === 'vigil') {
    try {
      check(left === 0, `redact() left ${left} of ${planted.length} planted values in its output`);
    } catch (error) {
      log(`bench redaction failed: ${error.message}`);
      process.exit(1);
    }
  }
  measure(run); // warm-up
}
const slices = Object.fromEntries(contenders.map(([name]) => [name, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, run] of round % 2 === 0 ? [...contenders].reverse() : contenders)
    slices[name].push(measure(run));
}
const median = (list, key) => {
  const sorted = list.map((slice) => slice[key]).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const best = {};
for (const [name] of contenders) {
  best[name] = { mbPerS: median(slices[name], 'mbPerS'), objectsPerS: median(slices[name], 'objectsPerS') };
  const all = slices[name].map((slice) => slice.mbPerS.toFixed(0)).join(' ');
  console.log(
    `${name.padEnd(12)} median ${best[name].mbPerS.toFixed(1).padStart(7)} MB/s ${Math.round(
      best[name].objectsPerS,
    )
      .toString()
      .padStart(8)} objects/s   (slices, MB/s: ${all})`,
  );
}

// The public corpus: recall (sensitive values gone) and keep (harmless values intact), per category and overall.
const corpusScore = scoreCorpus(loadCorpus(path.join(root, 'libs/redaction/test/corpus/cases')), (input) =>
  redactor.redact(input),
);
console.log(formatTable(corpusScore));
const { recall: corpusRecall, keepRate: corpusKeep } = corpusScore.overall;
if (CORPUS_GATE && (corpusRecall < MIN_CORPUS_RECALL || corpusKeep < MIN_CORPUS_KEEP)) {
  log(
    `bench redaction failed: public corpus recall=${corpusRecall.toFixed(3)} keep=${corpusKeep.toFixed(3)} ` +
      `(want >= ${MIN_CORPUS_RECALL} / ${MIN_CORPUS_KEEP}; --no-corpus-gate or BENCH_CORPUS_GATE=0 reports without failing)`,
  );
  process.exit(1);
}

const fixed = (x) => x.toFixed(2);
console.log(
  `bench=redaction mb_per_s=${fixed(best.vigil.mbPerS)} objects_per_s=${Math.round(best.vigil.objectsPerS)} ` +
    `baseline_fast_redact_mb_per_s=${fixed(best.fast_redact.mbPerS)} baseline_naive_mb_per_s=${fixed(best.naive.mbPerS)} ` +
    `ratio=${fixed(best.vigil.mbPerS / best.fast_redact.mbPerS)} ` +
    `corpus_recall=${corpusRecall.toFixed(3)} corpus_keep=${corpusKeep.toFixed(3)}`,
);
