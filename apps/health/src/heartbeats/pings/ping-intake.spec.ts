import type { IncomingMessage, ServerResponse } from 'node:http';

import type { HeartbeatTokenIndex } from './heartbeat-token-index';
import { PingIntake } from './ping-intake';
import type { PingMetrics } from './ping-metrics';
import { PingNotStoredError, type PingWriter } from './ping-writer';

/** A response that records what the route wrote. */
function response() {
  const headers: Record<string, string> = {};
  const res = {
    statusCode: 0,
    body: '',
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    end: (body: string) => (res.body = body),
  };
  return { res, headers };
}

const request = (url: string, method = 'GET') => ({ url, method, headers: {} }) as IncomingMessage;

function controller(write: PingWriter['write']) {
  const tokens = { monitorOf: (token: string) => Promise.resolve(token === 'tok' ? 'backup' : null) };
  const metrics = { unknownMonitor: jest.fn() };
  return new PingIntake(
    tokens as unknown as HeartbeatTokenIndex,
    { write } as unknown as PingWriter,
    metrics as unknown as PingMetrics,
  );
}

describe('PingIntake answers', () => {
  it('200 OK only once the writer resolved', async () => {
    let commit: () => void = () => undefined;
    const route = controller(() => new Promise<void>((resolve) => (commit = resolve)));
    const { res } = response();
    const answered = route.ping('tok', undefined, request('/ping/tok'), res as unknown as ServerResponse);
    await new Promise((resolve) => setImmediate(resolve));
    expect(res.statusCode).toBe(0);
    commit();
    await answered;
    expect([res.statusCode, res.body]).toEqual([200, 'OK']);
  });

  it('503 JSON with Retry-After when the ping was not stored, never 200', async () => {
    const route = controller(() => Promise.reject(new PingNotStoredError('the ping could not be stored')));
    const { res, headers } = response();
    await route.ping('tok', 'start', request('/ping/tok/start'), res as unknown as ServerResponse);
    expect(res.statusCode).toBe(503);
    expect(headers['retry-after']).toBe('2');
    expect(JSON.parse(res.body)).toEqual({
      error: 'service_unavailable',
      message: 'the ping could not be stored',
    });
  });

  it('503 also when the writer fails unexpectedly; 404 for an unknown token without writing', async () => {
    const write = jest.fn(() => Promise.reject(new Error('pool destroyed')));
    const route = controller(write);
    const failed = response();
    await route.push('tok', request('/api/push/tok?status=up'), failed.res as unknown as ServerResponse);
    expect(failed.res.statusCode).toBe(503);
    const unknown = response();
    await route.ping('nope', undefined, request('/ping/nope'), unknown.res as unknown as ServerResponse);
    expect(unknown.res.statusCode).toBe(404);
    expect(write).toHaveBeenCalledTimes(1);
  });
});
