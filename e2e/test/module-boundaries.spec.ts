import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { repoRoot } from '@vigil/testing';

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints `code` as if it were the file `filePath` with only the boundary rule, in a child Node
 * process (ESLint is ESM-only; jest runs CommonJS).
 */
function lintAs(filePath: string, code: string): LintMessage[] {
  const script = `
    import { ESLint } from 'eslint';
    import tseslint from 'typescript-eslint';
    import vigil from './tools/eslint/module-boundaries.mjs';
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { vigil }, rules: { 'vigil/module-boundaries': 'error' } }],
    });
    const [result] = await eslint.lintText(process.env.CODE, { filePath: process.env.FILE });
    process.stdout.write(JSON.stringify(result.messages));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot(),
    env: { ...process.env, CODE: code, FILE: path.join(repoRoot(), filePath) },
  });
  return JSON.parse(out.toString()) as LintMessage[];
}

describe('project boundaries (tools/eslint/module-boundaries.mjs)', () => {
  it('lets an app import a lib by package name', () => {
    expect(lintAs('apps/health/src/x.ts', `import { redact } from '@vigil/redaction';`)).toEqual([]);
  });

  it('forbids an app importing another app', () => {
    const messages = lintAs('apps/health/src/x.ts', `import { auditService } from '@vigil/audit-service';`);
    expect(messages.map((m) => m.message)).toEqual([
      '@vigil/health-service must not import the app @vigil/audit-service',
    ]);
  });

  it('forbids a lib importing an app', () => {
    const messages = lintAs('libs/platform/src/x.ts', `export * from '@vigil/alerting-service';`);
    expect(messages[0]?.message).toBe('@vigil/platform must not import the app @vigil/alerting-service');
  });

  it('forbids relative and deep imports across projects', () => {
    expect(lintAs('apps/audit/src/x.ts', `import '../../../libs/redaction/src';`)[0]?.message).toMatch(
      /leaves @vigil\/audit-service/,
    );
    expect(lintAs('apps/audit/src/x.ts', `import '@vigil/platform/src/bootstrap';`)[0]?.message).toMatch(
      /deep import/,
    );
  });

  it('keeps the test harness out of production code', () => {
    expect(lintAs('apps/audit/src/x.ts', `import { waitFor } from '@vigil/testing';`)[0]?.message).toBe(
      '@vigil/testing is for tests only',
    );
    expect(lintAs('apps/audit/test/x.spec.ts', `import { waitFor } from '@vigil/testing';`)).toEqual([]);
  });
});
