import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot } from '@vigil/testing';

interface LintMessage {
  ruleId: string | null;
  message: string;
}

const RULE = 'tools/eslint/module-boundaries.mjs';

/**
 * Lints `code` as if it were the file `filePath` of the workspace at `workspace` (the repository
 * unless given) with only the boundary rule, in a child Node process (ESLint is ESM-only; jest runs
 * CommonJS). The rule reads the projects of the workspace its own file sits in.
 */
function lintAs(filePath: string, code: string, workspace = repoRoot()): LintMessage[] {
  const script = `
    import { pathToFileURL } from 'node:url';
    import { ESLint } from 'eslint';
    import tseslint from 'typescript-eslint';
    const { default: vigil } = await import(pathToFileURL(process.env.RULE).href);
    const eslint = new ESLint({
      cwd: process.env.WORKSPACE,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { vigil }, rules: { 'vigil/module-boundaries': 'error' } }],
    });
    const [result] = await eslint.lintText(process.env.CODE, { filePath: process.env.FILE });
    process.stdout.write(JSON.stringify(result.messages));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot(),
    env: {
      ...process.env,
      CODE: code,
      FILE: path.join(workspace, filePath),
      RULE: path.join(workspace, RULE),
      WORKSPACE: workspace,
    },
  });
  return JSON.parse(out.toString()) as LintMessage[];
}

/**
 * A workspace of one app `@vigil/shop` whose src/ has the folders `layers` declares (and `orphan`,
 * which it does not), linted by a copy of the rule.
 */
function workspaceWith(layers: Record<string, string[]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-layers-'));
  fs.mkdirSync(path.join(dir, 'tools/eslint'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot(), RULE), path.join(dir, RULE));
  const app = path.join(dir, 'apps/shop');
  for (const folder of [...Object.keys(layers), 'orphan'])
    fs.mkdirSync(path.join(app, 'src', folder), { recursive: true });
  const pkg = { name: '@vigil/shop', nx: { tags: ['type:app', 'scope:shop'], layers } };
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg));
  return dir;
}

const messagesOf = (messages: LintMessage[]): string[] => messages.map((m) => m.message);

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

describe("layers inside a service (nx.layers in the app's package.json)", () => {
  let shop: string;
  beforeAll(() => {
    shop = workspaceWith({ model: [], catalog: ['model'], checkout: ['catalog', 'model'] });
  });
  afterAll(() => fs.rmSync(shop, { recursive: true, force: true }));

  it('lets a folder import the folders it declares, itself and packages; the root imports any folder', () => {
    const code = `import { Cart } from '../model/cart'; import { price } from '../catalog'; import { total } from './total'; import { Injectable } from '@nestjs/common';`;
    expect(lintAs('apps/shop/src/checkout/checkout.service.ts', code, shop)).toEqual([]);
    expect(
      lintAs('apps/shop/src/shop.module.ts', `import { Checkout } from './checkout/checkout.service';`, shop),
    ).toEqual([]);
  });

  it('forbids an import up (or sideways) and names both folders and what the importer may use', () => {
    const messages = lintAs(
      'apps/shop/src/catalog/price.ts',
      `import { Checkout } from '../checkout/checkout.service';`,
      shop,
    );
    expect(messagesOf(messages)).toEqual([
      'folder "catalog" may not import folder "checkout" of @vigil/shop: it may use only [model] (nx.layers in apps/shop/package.json)',
    ]);
    expect(messagesOf(lintAs('apps/shop/src/model/cart.ts', `export * from '../catalog';`, shop))).toEqual([
      'folder "model" may not import folder "catalog" of @vigil/shop: it may use only [] (nx.layers in apps/shop/package.json)',
    ]);
  });

  it('forbids a folder importing the composition root', () => {
    expect(
      messagesOf(lintAs('apps/shop/src/model/cart.ts', `import { ShopModule } from '../shop.module';`, shop)),
    ).toEqual(['folder "model" imports the composition root (a file directly in src/) of @vigil/shop']);
  });

  it('makes a folder that is not declared an error, even one importing nothing', () => {
    expect(messagesOf(lintAs('apps/shop/src/orphan/x.ts', `export const x = 1;`, shop))).toEqual([
      'folder "orphan" of @vigil/shop is not declared in nx.layers of apps/shop/package.json; declare the folders it may use',
    ]);
  });

  it('rejects declarations that form a cycle, so that nothing can point up by declaring it', () => {
    const cyclic = workspaceWith({ model: ['checkout'], catalog: ['model'], checkout: ['catalog'] });
    try {
      expect(messagesOf(lintAs('apps/shop/src/catalog/x.ts', `import '../model/cart';`, cyclic))).toEqual([
        'nx.layers of @vigil/shop declare a cycle: model -> checkout -> catalog -> model',
      ]);
    } finally {
      fs.rmSync(cyclic, { recursive: true, force: true });
    }
  });

  it('holds every service of this repository to its declared layers', () => {
    const apps = fs.readdirSync(path.join(repoRoot(), 'apps'));
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps) {
      const dir = path.join(repoRoot(), 'apps', app);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        nx?: { layers?: object };
      };
      const folders = fs
        .readdirSync(path.join(dir, 'src'), { withFileTypes: true })
        .filter((e) => e.isDirectory());
      // Every folder is declared. A declared folder may not exist yet: a service's layers are declared
      // ahead of the features that fill them (apps/errors declares its whole plan from the first commit).
      const declared = Object.keys(pkg.nx?.layers ?? {});
      expect({ app, undeclared: folders.map((e) => e.name).filter((f) => !declared.includes(f)) }).toEqual({
        app,
        undeclared: [],
      });
    }
    expect(messagesOf(lintAs('apps/alerting/src/brand-new/x.ts', `export const x = 1;`))).toEqual([
      'folder "brand-new" of @vigil/alerting-service is not declared in nx.layers of apps/alerting/package.json; declare the folders it may use',
    ]);
  });
});
