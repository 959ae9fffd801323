import { z } from 'zod';

import { messageJsonSchema } from './json-schema';

/** Error reply of any request/reply subject, e.g. `{error: 'bad_request', message: 'to: ...'}`. */
export const rpcErrorSchema = z
  .object({ error: z.string().min(1), message: z.string() })
  .meta({ title: 'RpcError v1', description: 'Error reply of a request/reply subject.' });

export type RpcError = z.infer<typeof rpcErrorSchema>;

export const rpcErrorJsonSchema = messageJsonSchema('rpc-error.v1', rpcErrorSchema);
