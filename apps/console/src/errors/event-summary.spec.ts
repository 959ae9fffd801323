import { summariseEvent } from './event-summary';

describe('summariseEvent', () => {
  it('reads the raised exception, tags as a dict or pairs, user id and request', () => {
    const summary = summariseEvent({
      exception: {
        values: [
          { type: 'KeyError', value: 'a' },
          { type: 'ValueError', value: 'b' },
        ],
      },
      tags: [
        ['os', 'linux'],
        ['bad', { nested: true }],
      ],
      user: { id: 7, email: 'never@shown' },
      request: { method: 'POST', url: 'https://shop.example/pay' },
    });
    expect(summary).toEqual({
      headline: 'ValueError: b',
      tags: [
        ['os', 'linux'],
        ['bad', '{"nested":true}'],
      ],
      user: '7',
      request: 'POST https://shop.example/pay',
      frames: [],
    });
  });

  it('falls back to the message and never throws on odd shapes', () => {
    expect(summariseEvent({ logentry: { formatted: 'disk full' } }).headline).toBe('disk full');
    expect(summariseEvent({ message: 'plain' }).headline).toBe('plain');
    expect(summariseEvent(null).headline).toBe('(no message)');
    expect(summariseEvent({ exception: 'x', tags: 5, user: [] })).toMatchObject({ tags: [], user: null });
  });
});
