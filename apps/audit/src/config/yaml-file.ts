import fs from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';

import { findUnstorable } from '@vigil/contracts';
import { errorMessage } from '@vigil/platform';

/**
 * Reads a YAML file the audit service is configured with (detector rules, the erasure policy) and
 * validates it against `schema`; the error names the file and the first bad field.
 */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${errorMessage(error)}`, { cause: error });
  }
  const unstorable = findUnstorable(document);
  if (unstorable) throw new Error(`${file}: ${unstorable.path}: ${unstorable.message}`);
  const result = schema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
