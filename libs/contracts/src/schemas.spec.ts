import fs from 'node:fs';
import path from 'node:path';

import * as contracts from './index';
import { messageJsonSchema } from './json-schema';
import { MESSAGE_SCHEMAS, renderSchemaFiles } from './message-schemas';

const dir = path.resolve(__dirname, '..', 'schemas');
const hint = 'JSON Schemas are stale: run pnpm schemas and commit libs/contracts/schemas';

describe('checked-in JSON Schemas', () => {
  const expected = renderSchemaFiles();

  it.each([...expected.keys()])('%s is up to date', (file) => {
    const full = path.join(dir, file);
    const actual = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : `(missing ${file})`;
    if (actual !== expected.get(file)) throw new Error(`${file}: ${hint}`);
  });

  it('has no file without a registered message', () => {
    const extra = fs.readdirSync(dir).filter((f) => f.endsWith('.schema.json') && !expected.has(f));
    if (extra.length > 0) throw new Error(`${extra.join(', ')}: ${hint}`);
  });

  it('exports, per message, the same JSON Schema as the file', () => {
    const exported = Object.entries(contracts).filter(
      ([name, value]) => name.endsWith('JsonSchema') && typeof value === 'object',
    );
    expect(exported).toHaveLength(Object.keys(MESSAGE_SCHEMAS).length);
    for (const [, schema] of exported) {
      const id = (schema as { $id: string }).$id;
      const name = id.slice(
        'https://vigil.dev/schemas/'.length,
        -'.json'.length,
      ) as keyof typeof MESSAGE_SCHEMAS;
      expect(schema).toEqual(messageJsonSchema(name, MESSAGE_SCHEMAS[name]));
    }
  });

  it('gives every schema an $id and a title', () => {
    const schema = messageJsonSchema('audit-event.v1', MESSAGE_SCHEMAS['audit-event.v1']);
    expect(schema).toMatchObject({
      $id: 'https://vigil.dev/schemas/audit-event.v1.json',
      title: 'AuditEvent v1',
    });
  });
});
