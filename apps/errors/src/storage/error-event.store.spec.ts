import {
  distinctRounds,
  eventRowsDocument,
  type StorableEvent,
  storableEventJson,
} from './error-event.store';

describe('distinctRounds', () => {
  it('puts a repeated issue in a later round and keeps list order within each round', () => {
    const rows = ['1', '2', '1', '3', '1', '2'].map((issue_id, n) => ({ issue_id, n }));
    expect(distinctRounds(rows).map((round) => round.map((row) => `${row.issue_id}@${row.n}`))).toEqual([
      ['1@0', '2@1', '3@3'],
      ['1@2', '2@5'],
      ['1@4'],
    ]);
  });

  it('gives one round when every issue is distinct, none when there are no rows', () => {
    expect(distinctRounds([{ issue_id: '1' }, { issue_id: '2' }])).toHaveLength(1);
    expect(distinctRounds([])).toEqual([]);
  });
});

describe('eventRowsDocument', () => {
  const event = (n: number, body: unknown): StorableEvent => ({
    project_id: '1',
    event_id: `${n}`.padStart(32, '0'),
    received_at: new Date(Date.UTC(2026, 11, 7, 0, 0, n)),
    occurred_at: new Date(Date.UTC(2026, 11, 6, 23, 0, n)),
    level: 'error',
    release: n % 2 === 0 ? 'shop@1.0' : null,
    environment: null,
    user_hash: n === 0 ? '[HASH:user_id:abcdefabcdefabcd]' : null,
    event_json: storableEventJson(body),
    scrub_rules: { email: n },
    fingerprint: 'f',
    grouping_version: 'vigil-1',
    title: 't',
    culprit: null,
  });

  it('is the rows as JSON.stringify would encode them, with each event spliced in as its ev member', () => {
    // Strings that need escaping, nesting, unicode, an empty object: the splice must keep them intact.
    const bodies = [{ message: 'quote " backslash \\ newline \n é 😀', a: [1, { b: null }] }, {}, { x: '}' }];
    const rows = bodies.map((body, n) => ({ issue_id: `${40 + n}`, event: event(n, body) }));
    const parsed = JSON.parse(eventRowsDocument(rows)) as Record<string, unknown>[];
    expect(parsed.map((row) => row.ev)).toEqual(bodies);
    expect(parsed[0]).toEqual({
      p: '1',
      e: '0'.repeat(32),
      i: '40',
      r: '2026-12-07T00:00:00.000Z',
      o: '2026-12-06T23:00:00.000Z',
      l: 'error',
      rel: 'shop@1.0',
      env: null,
      u: '[HASH:user_id:abcdefabcdefabcd]',
      sr: { email: 0 },
      ev: bodies[0],
    });
    expect(parsed[1]).toMatchObject({
      e: `${'0'.repeat(31)}1`,
      i: '41',
      rel: null,
      u: null,
      sr: { email: 1 },
    });
  });

  it('is an empty array for no rows', () => {
    expect(JSON.parse(eventRowsDocument([]))).toEqual([]);
  });
});
