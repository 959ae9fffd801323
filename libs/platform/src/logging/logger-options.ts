import type { IncomingMessage } from 'node:http';

import type { Params } from 'nestjs-pino';
import { symbols } from 'pino';

import { pinoRedaction } from '@vigil/redaction';

import type { ServiceIdentity } from '../config/config.tokens';
import { currentContext } from '../context/request-context';

const QUIET_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * A path whose segment is a credential (a heartbeat's ping token): the access log shows the URL with
 * `pattern` replaced by `replacement`, e.g. `/ping/[token]/start`. The secret is not a pattern any
 * redactor could recognise, so the service that knows its routes names it.
 */
export interface SecretPath {
  pattern: RegExp;
  replacement: string;
}

/** `url` with the first secret path that matches it masked (at most one applies: they name distinct routes). */
export function maskSecretPath(
  url: string | undefined,
  secretPaths: readonly SecretPath[],
): string | undefined {
  if (url === undefined) return url;
  for (const { pattern, replacement } of secretPaths)
    if (pattern.test(url)) return url.replace(pattern, replacement);
  return url;
}

/**
 * JSON lines with timestamp, level, service, environment, request_id, trace_id and message.
 * Every field, child binding, serializer output, message string and interpolation argument passes
 * through libs/redaction (`pinoRedaction`) before it is written.
 */
export function loggerOptions(
  identity: ServiceIdentity,
  level: string,
  secretPaths: readonly SecretPath[] = [],
): Params {
  const redaction = pinoRedaction({
    chindingsSymbol: symbols.chindingsSym,
    serializers: {
      // The URL keeps its path (credential segments masked); sensitive query values (token=, email=) are scrubbed.
      req: (req: { method?: string; url?: string }) => ({
        method: req.method,
        url: maskSecretPath(req.url, secretPaths),
      }),
      res: (res: { statusCode?: number }) => ({ status_code: res.statusCode }),
      // pino-http runs pino's error serializer (type, message, stack with causes) before this one;
      // naming it here keeps `err` raw until then, and its output is redacted like the others.
      err: (err: unknown) => err,
    },
  });
  return {
    pinoHttp: {
      level,
      messageKey: 'message',
      base: { service: identity.name, environment: identity.environment },
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: {
        level: (label: string) => ({ level: label }),
        ...redaction.formatters,
      },
      hooks: {
        logMethod(args, method, level) {
          redaction.hooks.logMethod.call(this, args, method, level);
        },
      },
      mixin: () => {
        const context = currentContext();
        return context ? { request_id: context.requestId, trace_id: context.traceId } : {};
      },
      genReqId: () => currentContext()?.requestId ?? 'none',
      // Probes and scrapes arrive every few seconds; logging each would drown the useful lines.
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
      serializers: redaction.serializers,
      onChild: redaction.onChild,
      customAttributeKeys: { reqId: 'http_request_id' },
      // The name of the API key that authenticated the request (auth/api-key.guard.ts), never the key.
      customProps: (req: IncomingMessage & { vigilApiKey?: string }) =>
        req.vigilApiKey ? { api_key_name: req.vigilApiKey } : {},
    },
  };
}
