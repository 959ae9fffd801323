import http from 'node:http';
import https from 'node:https';

/** Kept-alive connections per receiver host: a notification does not pay a TCP (or TLS) handshake. */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
} as const;

/** Why a POST got no answer; `timedOut` when the deadline passed. */
export class HttpPostError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'HttpPostError';
  }
}

/**
 * POSTs a body and resolves to the response's status once the response has been read (the content
 * does not matter to a notification). The whole exchange has `timeoutMs`. Node's http client rather
 * than fetch: this is the notify hot path, and fetch costs about a millisecond more per request.
 */
export function postBody(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new HttpPostError(`invalid URL`, false));
  }
  const agent = target.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const request = transport.request(
      target,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        response.on('error', (error) => fail(error));
        response.on('end', () => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
        response.resume();
      },
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(new HttpPostError(timedOut ? `timed out after ${timeoutMs} ms` : describe(error), timedOut));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error('timeout'));
    }, timeoutMs);
    request.on('error', fail);
    request.end(body);
  });
}

function describe(error: Error): string {
  const code = (error as { code?: string }).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
