import type { IncomingMessage } from 'node:http';

import type { Params } from 'nestjs-pino';

import { redact, redactString } from '@vigil/redaction';

import type { ServiceIdentity } from '../config/config.tokens';
import { currentContext } from '../context/request-context';

const QUIET_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * JSON lines with timestamp, level, service, environment, request_id, trace_id and message.
 * Every merging object and every message string passes through libs/redaction first.
 */
export function loggerOptions(identity: ServiceIdentity, level: string): Params {
  return {
    pinoHttp: {
      level,
      messageKey: 'message',
      base: { service: identity.name, environment: identity.environment },
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: {
        level: (label: string) => ({ level: label }),
        log: (object: Record<string, unknown>) => redact(object),
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? redactString(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      mixin: () => {
        const context = currentContext();
        return context ? { request_id: context.requestId, trace_id: context.traceId } : {};
      },
      genReqId: () => currentContext()?.requestId ?? 'none',
      // Probes and scrapes arrive every few seconds; logging each would drown the useful lines.
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
      serializers: {
        req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode?: number }) => ({ status_code: res.statusCode }),
      },
      customAttributeKeys: { reqId: 'http_request_id' },
    },
  };
}
