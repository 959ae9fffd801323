import { contextFrom, currentContext, runWithContext } from './request-context';

describe('contextFrom', () => {
  it('keeps an incoming request id and trace id, with a new span', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const context = contextFrom({ requestId: 'req-123', traceparent: incoming });
    expect(context.requestId).toBe('req-123');
    expect(context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(context.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(context.traceparent).not.toBe(incoming);
  });

  it('generates ids when they are missing', () => {
    const context = contextFrom({});
    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('never repeats a generated trace or span id, across refills of the random pool', () => {
    const contexts = Array.from({ length: 1000 }, () => contextFrom({}));
    const traces = new Set(contexts.map((c) => c.traceId));
    const spans = new Set(contexts.map((c) => c.traceparent.split('-')[2]));
    expect([traces.size, spans.size]).toEqual([1000, 1000]);
    expect(contexts.every((c) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(c.traceparent))).toBe(true);
  });

  it('starts a new trace when traceparent is malformed or all zeros', () => {
    for (const bad of ['garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']) {
      expect(contextFrom({ traceparent: bad }).traceId).not.toBe('00000000000000000000000000000000');
    }
  });

  it('rejects request ids that could inject into logs', () => {
    expect(contextFrom({ requestId: 'a\nb' }).requestId).not.toContain('\n');
  });

  it('scopes the context to the callback', () => {
    const context = contextFrom({ requestId: 'scoped' });
    expect(runWithContext(context, () => currentContext()?.requestId)).toBe('scoped');
    expect(currentContext()).toBeUndefined();
  });
});
