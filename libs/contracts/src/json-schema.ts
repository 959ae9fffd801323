import { z } from 'zod';

/** Base of every `$id`; a schema's id is `<base><name>.json`, e.g. `.../audit-event.v1.json`. */
export const SCHEMA_ID_BASE = 'https://vigil.dev/schemas/';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) a non-Node publisher validates against. It describes the
 * *input* shape (fields with defaults are optional). Refinements (e.g. the 16 KiB metadata
 * limit, `from <= to`) cannot be expressed and are stated in the descriptions instead.
 */
export function messageJsonSchema(name: string, schema: z.ZodType): JsonSchema {
  const { $schema, title, description, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
  }) as JsonSchema;
  return {
    $schema,
    $id: `${SCHEMA_ID_BASE}${name}.json`,
    title: title ?? name,
    ...(description === undefined ? {} : { description }),
    ...rest,
  };
}
