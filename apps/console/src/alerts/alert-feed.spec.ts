import type { UpstreamClient, UpstreamRequest } from '../upstream/upstream.client';
import { AlertFeed, FEED_POLL_MS } from './alert-feed';
import type { HistoryJson } from './alerting-api';

function entry(id: string): HistoryJson {
  return {
    id,
    at: new Date().toISOString(),
    event: 'fired',
    actor: 'api',
    fingerprint: `f${id}`,
    alertname: 'DiskFull',
    severity: 'critical',
    episodeStartsAt: new Date().toISOString(),
    comment: null,
    details: null,
  };
}

/** An alerting stand-in recording who asked, answering the history it is given (newest first). */
function fakeAlerting(history: HistoryJson[]) {
  const calls: { credential: string; request: UpstreamRequest }[] = [];
  const upstream = {
    json: (caller: { credential: string }, _service: string, request: UpstreamRequest) => {
      calls.push({ credential: caller.credential, request });
      return Promise.resolve({ events: [...history] });
    },
  } as unknown as UpstreamClient;
  return { upstream, calls };
}

describe('AlertFeed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('polls once per key however many streams are open, delivers each entry once, and stops with the last', async () => {
    const history: HistoryJson[] = [];
    const { upstream, calls } = fakeAlerting(history);
    const feed = new AlertFeed(upstream);
    const first: string[] = [];
    const second: string[] = [];
    const other: string[] = [];
    const stopFirst = feed.subscribe({ credential: 'key-a' }, (e) => first.push(e.id));
    const stopSecond = feed.subscribe({ credential: 'key-a' }, (e) => second.push(e.id));
    const stopOther = feed.subscribe({ credential: 'key-b' }, (e) => other.push(e.id));

    history.unshift(entry('1'));
    await jest.advanceTimersByTimeAsync(FEED_POLL_MS);
    expect(calls.map((c) => c.credential).sort()).toEqual(['key-a', 'key-b']);
    expect(calls[0]?.request.path).toBe('/alerts/history');
    history.unshift(entry('2'));
    await jest.advanceTimersByTimeAsync(FEED_POLL_MS);
    expect(first).toEqual(['1', '2']);
    expect(second).toEqual(['1', '2']);
    expect(other).toEqual(['1', '2']);

    stopFirst();
    stopSecond();
    stopOther();
    const before = calls.length;
    await jest.advanceTimersByTimeAsync(FEED_POLL_MS * 3);
    expect(calls.length).toBe(before);
  });
});
