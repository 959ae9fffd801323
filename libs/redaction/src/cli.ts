import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { entityCatalog, renderEntityTable } from './entity-catalog';
import type { Explanation, Finding } from './explain';
import { parseRedactionPolicy, readRedactionPolicy } from './policy-file';
import { type RedactionPolicy, RedactionPolicyError } from './policy';
import { createRedactor } from './redactor';

/** What `pnpm vigil-redaction` reads and writes: the process's, or a test's. */
export interface CliIo {
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  readStdin: () => Promise<string>;
  write: (text: string) => void;
  writeError: (text: string) => void;
}

export const USAGE = `usage: pnpm vigil-redaction explain [--policy FILE] [--json] ['<text>']
       pnpm vigil-redaction entities [--json]
  explain        what the redactor would replace in <text> (or stdin when no text is given), by which
                 rule, and the redacted output; found values are shown by their first 2 characters
                 and length only
  --policy FILE  a JSON policy file (the REDACTION_POLICY format); its hash key is REDACTION_HASH_KEY
                 or REDACTION_HASH_KEY_FILE from the environment, else a random key for this run
  --json         one JSON object: { output, findings: [{ rule, kind, strategy, start, end, preview,
                 length, replacement }] }
  entities       every entity: kind, name, detection, guard, default strategy, surfaces, anchors
                 (--json: the catalog as a JSON list)
`;

/** Usage errors and bad policies: exit 2 with one line. */
class CliError extends Error {}

/** A found value as the CLI shows it: never whole (the terminal and its scrollback are not redacted). */
export function preview(text: string): string {
  const shown = text.length >= 8 ? text.slice(0, 2) : '';
  return `${JSON.stringify(shown).slice(1, -1)}… (${text.length} chars)`;
}

interface Options {
  command: 'explain' | 'entities';
  policyFile: string | undefined;
  json: boolean;
  text: string | undefined;
}

function parseArgs(args: readonly string[]): Options {
  const [command, ...rest] = args;
  if (command !== 'explain' && command !== 'entities')
    throw new CliError(command === undefined ? 'a command is required' : `unknown command ${command}`);
  const options: Options = { command, policyFile: undefined, json: false, text: undefined };
  const words: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (optionsEnded || !arg.startsWith('--')) words.push(arg);
    else if (arg === '--') optionsEnded = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--policy') {
      options.policyFile = rest[++i];
      if (options.policyFile === undefined) throw new CliError('--policy needs a file');
    } else throw new CliError(`unknown option ${arg}`);
  }
  if (words.length > 0) {
    if (command === 'entities') throw new CliError('entities takes no text');
    options.text = words.join(' ');
  }
  return options;
}

function hashKeyFrom(env: CliIo['env']): { key: string; random: boolean } {
  if (env.REDACTION_HASH_KEY) return { key: env.REDACTION_HASH_KEY, random: false };
  const file = env.REDACTION_HASH_KEY_FILE;
  if (file) {
    try {
      return { key: readFileSync(file, 'utf8').replace(/\r?\n$/, ''), random: false };
    } catch (error) {
      throw new CliError(
        `cannot read REDACTION_HASH_KEY_FILE ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  }
  return { key: randomBytes(32).toString('hex'), random: true };
}

function policyFrom(file: string | undefined, io: CliIo): RedactionPolicy {
  if (file === undefined) return {};
  const { key, random } = hashKeyFrom(io.env);
  const policy = parseRedactionPolicy(readRedactionPolicy(file, file), key);
  const hashed =
    Object.values(policy.strategies ?? {}).includes('hash') ||
    policy.rules?.some((r) => r.strategy === 'hash');
  if (random && hashed)
    io.writeError('note: no REDACTION_HASH_KEY set: hash tokens use a random key for this run\n');
  return policy;
}

function describe(finding: Finding): string {
  const span = finding.start === -1 ? 'in decoded JSON' : `${finding.start}-${finding.end}`;
  return `  ${finding.rule.padEnd(15)} ${finding.kind.padEnd(15)} ${finding.strategy.padEnd(7)} ${span.padEnd(12)} ${preview(finding.text)} -> ${finding.replacement}`;
}

function render({ output, findings }: Explanation, json: boolean): string {
  if (json) {
    const shown = findings.map(({ text, ...finding }) => ({
      ...finding,
      preview: preview(text),
      length: text.length,
    }));
    return `${JSON.stringify({ output, findings: shown })}\n`;
  }
  const lines = [
    findings.length === 0
      ? 'nothing to redact'
      : `${findings.length} finding${findings.length === 1 ? '' : 's'}:`,
    ...(findings.length === 0
      ? []
      : [
          `  ${'rule'.padEnd(15)} ${'kind'.padEnd(15)} ${'how'.padEnd(7)} ${'span'.padEnd(12)} value -> replacement`,
        ]),
    ...findings.map(describe),
    'output:',
    output,
  ];
  return `${lines.join('\n')}\n`;
}

/** `pnpm vigil-redaction explain ...`; the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  if (io.args.includes('--help') || io.args.includes('-h')) {
    io.write(USAGE);
    return 0;
  }
  try {
    const options = parseArgs(io.args);
    if (options.command === 'entities') {
      io.write(options.json ? `${JSON.stringify(entityCatalog())}\n` : `${renderEntityTable()}\n`);
      return 0;
    }
    const redactor = createRedactor(policyFrom(options.policyFile, io));
    const text = options.text ?? (await io.readStdin()).replace(/\r?\n$/, '');
    io.write(render(redactor.explain(text), options.json));
    return 0;
  } catch (error) {
    if (!(error instanceof CliError || error instanceof RedactionPolicyError)) throw error;
    io.writeError(`vigil-redaction: ${error.message}\n`);
    if (error instanceof CliError) io.writeError(USAGE);
    return 2;
  }
}
