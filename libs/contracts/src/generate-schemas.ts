// Writes libs/contracts/schemas/<name>.schema.json for every message: `pnpm schemas`.
import fs from 'node:fs';
import path from 'node:path';

import { renderSchemaFiles } from './message-schemas';

const dir = path.resolve(__dirname, '..', 'schemas');
const files = renderSchemaFiles();

fs.mkdirSync(dir, { recursive: true });
for (const stale of fs.readdirSync(dir)) {
  if (stale.endsWith('.schema.json') && !files.has(stale)) fs.rmSync(path.join(dir, stale));
}
for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
process.stdout.write(`wrote ${files.size} schemas to ${dir}\n`);
