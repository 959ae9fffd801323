import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { waitForItem } from './wait-for';

export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. /alerts?x=1 */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the body is JSON, else the raw text ('' when empty). */
  body: unknown;
  rawBody: string;
  /** Status the sink answered with. */
  status: number;
  receivedAt: Date;
}

export interface WebhookSink {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** The first request (already received or still to come) matching `predicate`. */
  waitForRequest(
    predicate?: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** Answer every following request with this status (e.g. 503 to simulate an outage; 200 again to recover). */
  respondWith(status: number): void;
  stop(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 recording every request it receives and answering 200 `{"ok":true}` by default. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  let status = 200;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: parseBody(rawBody),
        rawBody,
        status,
        receivedAt: new Date(),
      };
      requests.push(recorded);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: status < 400 }));
      events.emit('request', recorded);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A sink a suite forgets to stop must not keep jest alive.
  server.unref();
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    waitForRequest(predicate = () => true, timeoutMs = 15_000) {
      return waitForItem(
        requests,
        (listener) => {
          events.on('request', listener);
          return () => events.off('request', listener);
        },
        predicate,
        timeoutMs,
        `a request to the webhook sink on ${port}`,
      );
    },
    respondWith(next: number) {
      status = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseBody(raw: string): unknown {
  if (raw === '') return '';
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
