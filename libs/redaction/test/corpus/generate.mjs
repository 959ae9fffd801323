// Writes test/corpus/cases/<category>.json from the templates in categories/*.mjs. Deterministic: every category
// reseeds the value generator from its own name, so the committed JSON is reproduced byte for byte and editing one
// category leaves the other files unchanged. Categories captured from real framework output
// (capture/capture.py) are written by that script and only reformatted here: run the capture first, then this.
// Usage: node libs/redaction/test/corpus/generate.mjs
import fs from 'node:fs';
import path from 'node:path';

import { entityCategories } from './categories/entities.mjs';
import { negativeCategories } from './categories/negatives.mjs';
import { secretCategories } from './categories/secrets.mjs';
import { surfaceCategories } from './categories/surfaces.mjs';
import { reseed } from './values.mjs';

const dir = path.join(path.dirname(path.resolve(process.argv[1])), 'cases');

/**
 * A category's cases: positives (something sensitive, usually with harmless neighbours to keep) and hard
 * negatives (only values to keep), each list cycling through its templates with fresh values, until `count`.
 */
function build(name, spec) {
  reseed(name);
  const cases = [];
  const count = spec.count ?? 20;
  // Every template is used at least once, whatever `count` says.
  const negatives = Math.max(
    spec.neg.length,
    spec.neg.length === 0 ? 0 : Math.round(count * (spec.negShare ?? 0.5)),
  );
  const positives = Math.max(spec.pos.length, count - negatives);
  for (let i = 0; i < positives; i++) cases.push(spec.pos[i % spec.pos.length]());
  for (let i = 0; i < negatives; i++) {
    const made = spec.neg[i % spec.neg.length]();
    if (made.sensitive.length > 0) throw new Error(`${name}: a hard negative with sensitive values`);
    cases.push(made);
  }
  return {
    category: name,
    surface: spec.surface,
    anchor: spec.anchor,
    cases: cases.map((c, i) => {
      for (const s of c.sensitive)
        for (const k of c.keep)
          if (k.includes(s) || s.includes(k))
            throw new Error(`${name}-${i}: keep "${k}" overlaps sensitive "${s}"`);
      const text = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
      for (const v of [...c.sensitive, ...c.keep])
        if (
          !text.includes(v) &&
          !(typeof c.input !== 'string' && JSON.stringify(c.input).includes(JSON.stringify(v).slice(1, -1)))
        )
          throw new Error(`${name}-${i}: "${v}" is not in the input`);
      return {
        id: `${name}-${String(i + 1).padStart(3, '0')}`,
        input: c.input,
        sensitive: c.sensitive,
        keep: c.keep,
      };
    }),
  };
}

/** Formats every case file (also those capture/capture.py wrote) the way `prettier --check` wants them. */
async function formatCases() {
  const prettier = await import('prettier');
  const options = { ...(await prettier.resolveConfig(path.join(dir, 'x.json'))), parser: 'json' };
  for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.json'))) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, await prettier.format(fs.readFileSync(file, 'utf8'), options));
  }
}

/** Rewrites the README's category table and totals from the case files, so the README never drifts. */
async function updateReadme() {
  const prettier = await import('prettier');
  const readme = path.join(dir, '..', 'README.md');
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  let cases = 0;
  let negatives = 0;
  const cell = (text) => text.replace(/\|/g, '/');
  const rows = files.map((name) => {
    const file = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    const hard = file.cases.filter((entry) => entry.sensitive.length === 0).length;
    cases += file.cases.length;
    negatives += hard;
    return `| \`${file.category}\` | ${file.cases.length} | ${hard} | ${cell(file.surface)} | ${cell(file.anchor)} |`;
  });
  let text = fs.readFileSync(readme, 'utf8');
  text = text.slice(0, text.indexOf('| category |'));
  text += `| category | cases | hard negatives | surface | anchor |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`;
  text = text.replace(
    /\d+ categories, [\d,]+ cases, \d+ %/,
    `${files.length} categories, ${cases.toLocaleString('en-US')} cases, ${Math.round((100 * negatives) / cases)} %`,
  );
  const options = { ...(await prettier.resolveConfig(readme)), parser: 'markdown' };
  fs.writeFileSync(readme, await prettier.format(text, options));
}

const all = { ...entityCategories, ...secretCategories, ...surfaceCategories, ...negativeCategories };
let total = 0;
for (const [name, spec] of Object.entries(all)) {
  const file = build(name, spec);
  total += file.cases.length;
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(file, null, 1)}\n`);
}
await formatCases();
await updateReadme();
console.log(`wrote ${Object.keys(all).length} categories, ${total} cases to ${dir}`);
