import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'tools/redaction/vigil-redaction.mjs');
const HASH_KEY = 'a-hash-key-of-32-bytes-0123456789';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `pnpm vigil-redaction` does; `stdin` is written and closed when given. */
async function cli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  const child = run(process.execPath, [CLI, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  child.child.stdin?.end(options.stdin ?? '');
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** `pnpm vigil-redaction` (tools/redaction/vigil-redaction.mjs over src/cli.ts), as a process. */
describe('pnpm vigil-redaction explain', () => {
  jest.setTimeout(60_000);
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-redaction-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints each finding (rule, kind, strategy, span, a preview of the value) and the output', async () => {
    const secret = 'hunter2-correct-horse';
    const { code, stdout } = await cli([
      'explain',
      `login rahim@example.com password=${secret} from 203.0.113.5`,
    ]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('3 findings:');
    expect(lines[2]).toMatch(/^ {2}email +email +remove +6-23 +ra… \(17 chars\) -> \[REDACTED:email\]$/);
    expect(lines[3]).toMatch(/^ {2}key-value +secret +remove +33-54 +hu… \(21 chars\) -> \[REDACTED\]$/);
    expect(lines[4]).toMatch(/^ {2}ipv4 +ipv4 +remove +60-71 +20… \(11 chars\) -> \[REDACTED:ipv4\]$/);
    expect(lines.slice(-2)).toEqual([
      'output:',
      'login [REDACTED:email] password=[REDACTED] from [REDACTED:ipv4]',
    ]);
    // The CLI does not echo what it found.
    expect(stdout).not.toContain(secret);
    expect(stdout).not.toContain('rahim@');
  });

  it('reads stdin when no text is given, and says when there is nothing to redact', async () => {
    const found = await cli(['explain'], { stdin: '{"api_key":"sk-abcdefgh12345678"}\n' });
    expect(found.stdout).toContain('key-name        secret          remove  12-31');
    expect(found.stdout.trim().endsWith('{"api_key":"[REDACTED]"}')).toBe(true);
    const clean = await cli(['explain'], {
      stdin: 'GET /health 200 in 3 ms trace 4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(clean.stdout).toBe(
      'nothing to redact\noutput:\nGET /health 200 in 3 ms trace 4bf92f3577b34da6a3ce929d0e0e4736\n',
    );
  });

  it('--json prints one object with previews instead of values', async () => {
    const { stdout } = await cli(['explain', '--json', 'card 4111 1111 1111 1111']);
    expect(JSON.parse(stdout)).toEqual({
      output: 'card [REDACTED:card]',
      findings: [
        {
          rule: 'card',
          kind: 'card',
          strategy: 'remove',
          start: 5,
          end: 24,
          preview: '41… (19 chars)',
          length: 19,
          replacement: '[REDACTED:card]',
        },
      ],
    });
  });

  it('--policy applies a policy file, its hash key from REDACTION_HASH_KEY', async () => {
    const policy = path.join(dir, 'policy.json');
    fs.writeFileSync(
      policy,
      JSON.stringify({
        strategies: { email: 'hash' },
        rules: [{ kind: 'ticket_ref', pattern: 'TKT-\\d{6}' }],
      }),
    );
    const args = ['explain', '--json', '--policy', policy, 'TKT-123456 from Rahim@Example.com'];
    const first = await cli(args, { env: { REDACTION_HASH_KEY: HASH_KEY } });
    const second = await cli(args, { env: { REDACTION_HASH_KEY: HASH_KEY } });
    const { output, findings } = JSON.parse(first.stdout) as { output: string; findings: { rule: string }[] };
    expect(output).toMatch(/^\[REDACTED:ticket_ref\] from \[HASH:email:[a-p]{16}\]$/);
    expect(findings.map((f) => f.rule)).toEqual(['rules[0]', 'email']);
    // The keyed hash is stable, so the CLI shows the tokens the services write.
    expect(second.stdout).toBe(first.stdout);
    const randomKey = await cli(args);
    expect(randomKey.stderr).toContain(
      'no REDACTION_HASH_KEY set: hash tokens use a random key for this run',
    );
  });

  it('refuses a bad policy or usage with exit 2 and a line naming the problem', async () => {
    const policy = path.join(dir, 'bad.json');
    fs.writeFileSync(policy, '{"rules":[{"kind":"x","pattern":"(a+)+"}]}');
    const bad = await cli(['explain', '--policy', policy, 'text']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      `vigil-redaction: invalid redaction policy: rules[0].pattern has an unbounded quantifier "+" at 2: give it a bound such as {1,64} (${policy})`,
    );
    const usage = await cli(['explian', 'text']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unknown command explian');
    expect(usage.stderr).toContain('usage: pnpm vigil-redaction explain');
  });

  it('entities prints the catalog, as the README table or as JSON', async () => {
    const table = await cli(['entities']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^\| entity \(kind\) +\| how it is detected +\| guard/);
    expect(table.stdout).toContain('| e-mail (`email`) ');
    const json = await cli(['entities', '--json']);
    const catalog = JSON.parse(json.stdout) as { kind: string; surfaces: string[] }[];
    expect(catalog.find((entry) => entry.kind === 'email')?.surfaces).toEqual(['keys', 'text']);
    expect((await cli(['entities', 'extra'])).code).toBe(2);
  });
});
