import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';

import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

import { waitForItem } from './wait-for';

export type { ParsedMail } from 'mailparser';

export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:<port> */
  url: string;
  /** Every message received, parsed, in arrival order. */
  messages: ParsedMail[];
  /** The first message (already received or still to come) matching `predicate`. */
  waitForMessage(predicate?: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  stop(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no TLS, any or no AUTH accepted) that parses what it receives. */
export async function startSmtpServer(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const events = new EventEmitter();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'test' });
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          events.emit('message', mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Keep a late socket error from becoming an unhandled 'error' event; a sink a suite forgets to stop must not keep
  // jest alive.
  server.on('error', () => undefined);
  server.server.unref();
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitForMessage(predicate = () => true, timeoutMs = 15_000) {
      return waitForItem(
        messages,
        (listener) => {
          events.on('message', listener);
          return () => events.off('message', listener);
        },
        predicate,
        timeoutMs,
        `an e-mail on ${port}`,
      );
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
