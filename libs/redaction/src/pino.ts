import { defaultRedactor } from './default-redactor';
import type { Redactor } from './redactor';

type Serializer = (value: never) => unknown;

export interface PinoRedactionOptions<S extends Record<string, Serializer>> {
  /** Defaults to the default policy. */
  redactor?: Redactor;
  /** The logger's serializers: each output is redacted, and their raw input is left for them. */
  serializers?: S;
  /**
   * `pino.symbols.chindingsSym`. Pino applies `formatters.bindings` to the root bindings only; with the
   * symbol, `onChild` scrubs the serialized bindings of every child logger (`logger.child({...})`).
   */
  chindingsSymbol?: symbol;
}

/** The pieces of pino options that route every log field and message through a redactor. */
export interface PinoRedaction<S> {
  formatters: {
    log(object: Record<string, unknown>): Record<string, unknown>;
    bindings(bindings: Record<string, unknown>): Record<string, unknown>;
  };
  hooks: {
    logMethod(this: unknown, args: unknown[], method: (...args: unknown[]) => void, level: number): void;
  };
  serializers: S;
  onChild: (child: object) => void;
}

/**
 * Redaction for pino: merge `formatters`, `hooks` and `serializers` into the logger options.
 * Pino calls `formatters.log` before serializers run, so fields with a serializer are skipped there
 * and redacted after their serializer instead; child bindings go through `formatters.bindings`;
 * message strings and interpolation arguments go through the `logMethod` hook.
 */
export function pinoRedaction<S extends Record<string, Serializer> = Record<string, never>>(
  options: PinoRedactionOptions<S> = {},
): PinoRedaction<S> {
  const redactor = options.redactor ?? defaultRedactor;
  const source = options.serializers ?? ({} as S);
  const keep = new Set(Object.keys(source));
  const serializers = Object.fromEntries(
    Object.entries(source).map(([key, serialize]) => [
      key,
      (value: never): unknown => redactor.redact(serialize(value)),
    ]),
  ) as S;
  return {
    formatters: {
      log: (object) => redactor.redactFields(object, keep),
      bindings: (bindings) => redactor.redactFields(bindings, keep),
    },
    hooks: {
      logMethod(args, method) {
        // args: [mergingObject?, message?, ...interpolation]; the merging object goes to formatters.log.
        const scrubbed = args.map((arg, i) => {
          if (typeof arg === 'string') return redactor.redactString(arg);
          // pino takes the message of a leading Error as is: hand it a scrubbed copy of the same class.
          if (i === 0 && arg instanceof Error)
            return Object.assign(
              Object.create(Object.getPrototypeOf(arg) as object) as Error,
              redactor.redactError(arg),
            );
          return i > 0 ? redactor.redact(arg) : arg;
        });
        method.apply(this, scrubbed);
      },
    },
    serializers,
    onChild: (child) => {
      const symbol = options.chindingsSymbol;
      if (symbol === undefined) return;
      const holder = child as Record<symbol, unknown>;
      // A JSON fragment (`,"key":"value"`): the string scrubber redacts it by key and by value.
      if (typeof holder[symbol] === 'string') holder[symbol] = redactor.redactString(holder[symbol]);
    },
  };
}
