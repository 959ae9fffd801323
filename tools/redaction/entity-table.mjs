// The entity table of libs/redaction/README.md, generated from the catalog (src/entity-catalog.ts).
//   node tools/redaction/entity-table.mjs           print the table
//   node tools/redaction/entity-table.mjs --write   write it into the README, between its markers
//   node tools/redaction/entity-table.mjs --check   exit 1 when the README's table is not the catalog's
// src/entity-catalog.spec.ts makes the same check in the test suite.
import fs from 'node:fs';
import path from 'node:path';

import { requireBuilt, root } from './built-lib.mjs';

const { renderEntityTable, withEntityTable } = requireBuilt('entity-catalog', 'entity-table');
const readmePath = path.join(root, 'libs/redaction/README.md');
const mode = process.argv[2];

if (mode === undefined) {
  process.stdout.write(`${renderEntityTable()}\n`);
} else if (mode === '--write' || mode === '--check') {
  const readme = fs.readFileSync(readmePath, 'utf8');
  const generated = withEntityTable(readme);
  if (mode === '--write') {
    if (generated !== readme) fs.writeFileSync(readmePath, generated);
    process.stdout.write(
      `${generated === readme ? 'unchanged' : 'updated'}: ${path.relative(root, readmePath)}\n`,
    );
  } else if (generated !== readme) {
    process.stderr.write(
      'entity-table: README.md differs from the catalog: run node tools/redaction/entity-table.mjs --write\n',
    );
    process.exitCode = 1;
  }
} else {
  process.stderr.write('usage: node tools/redaction/entity-table.mjs [--write | --check]\n');
  process.exitCode = 2;
}
