import { findUnstorable } from '@vigil/contracts';

import type { HeartbeatTarget } from '../../targets/heartbeat-definition';
import { heartbeatTargetFileSchema, toTarget } from '../../targets/target-definition';

/** What is wrong with a monitor sent to the API: one line, and every problem found. */
export interface MonitorBodyProblem {
  message: string;
  details: { path: string; message: string }[];
}

export type ParsedMonitorBody =
  | { ok: true; target: HeartbeatTarget; definition: Record<string, unknown> }
  | { ok: false; problem: MonitorBodyProblem };

/**
 * Fields the API refuses: they would let a key holder make the service read any of its environment
 * variables or files and show it back as the monitor's ping URL. API monitors get a generated token.
 */
const SERVER_SECRET_FIELDS = ['token_env', 'token_file'] as const;

/**
 * Validates a monitor sent to POST /api/heartbeats: the YAML entry of a `type: heartbeat` target as JSON
 * (`type` may be left out), by the same schema as the targets file. `definition` is what is stored and
 * parsed again by every replica.
 */
export function parseMonitorBody(body: unknown): ParsedMonitorBody {
  const refuse = (path: string, message: string): ParsedMonitorBody => ({
    ok: false,
    problem: { message: `invalid heartbeat: ${path}: ${message}`, details: [{ path, message }] },
  });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return refuse('(body)', 'must be a JSON object');
  const unstorable = findUnstorable(body);
  if (unstorable) return refuse(unstorable.path, unstorable.message);
  if ('type' in body && body.type !== 'heartbeat')
    return refuse('type', "must be 'heartbeat' (this API creates heartbeat monitors only)");
  for (const field of SERVER_SECRET_FIELDS)
    if (field in body) return refuse(field, 'is not accepted by the API (a token is generated)');
  const definition: Record<string, unknown> = { type: 'heartbeat', ...body };
  const parsed = heartbeatTargetFileSchema.safeParse(definition);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path:
        issue.code === 'unrecognized_keys'
          ? [...issue.path, issue.keys[0]].join('.')
          : issue.path.join('.') || '(body)',
      message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
    }));
    return {
      ok: false,
      problem: { message: `invalid heartbeat: ${details[0].path}: ${details[0].message}`, details },
    };
  }
  const target = toTarget(parsed.data, {});
  if (target.kind !== 'heartbeat') return refuse('type', "must be 'heartbeat'");
  return { ok: true, target, definition };
}
