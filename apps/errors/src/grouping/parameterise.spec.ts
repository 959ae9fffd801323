import { parameterise } from './parameterise';

describe('parameterise', () => {
  it.each([
    ['User 4411 not found', 'User 98 not found', 'User <int> not found'],
    ['No profile for rahim@example.com', 'No profile for nusrat.j@example.org', 'No profile for <email>'],
    [
      'Order 3f2b6a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b failed',
      'Order 11111111-2222-3333-4444-555555555555 failed',
      'Order <uuid> failed',
    ],
    ['connect to 10.0.0.5:5432 refused', 'connect to 192.168.1.20:5432 refused', 'connect to <ip> refused'],
    [
      'lock held since 2026-12-07T20:54:35.852Z',
      'lock held since 2026-01-01 09:00:00',
      'lock held since <date>',
    ],
    ['job ran at 09:15:02', 'job ran at 23:59', 'job ran at <time>'],
    ['bad object at 0x7f4de9a99950', 'bad object at 0x10', 'bad object at <hex>'],
    ['commit 9fac6d8d9f190887 missing', 'commit 1a2b3c4d5e6f missing', 'commit <hex> missing'],
    ["Key 'account-77' not in cache", "Key 'b' not in cache", 'Key <str> not in cache'],
    ['Key "x" missing', 'Key "yy z" missing', 'Key <str> missing'],
    ['payment of 12.50 declined', 'payment of 3 declined', 'payment of <int> declined'],
    ['mail [REDACTED:email] bounced', 'mail [HASH:email:abcdefghijklmnop] bounced', 'mail <email> bounced'],
    ['2001:db8::1 unreachable', 'fe80::1:2:3 unreachable', '<ip> unreachable'],
  ])('%s and %s become %s', (a, b, expected) => {
    expect(parameterise(a)).toBe(expected);
    expect(parameterise(b)).toBe(expected);
  });

  it('keeps the words: apostrophes, identifiers with digits, distinct messages stay distinct', () => {
    expect(parameterise("Profile doesn't exist, user's cache is cold")).toBe(
      "Profile doesn't exist, user's cache is cold",
    );
    expect(parameterise('utf8 decode of int64 failed')).toBe('utf8 decode of int64 failed');
    expect(parameterise('User 1 not found')).not.toBe(parameterise('Order 1 not found'));
  });

  it('is linear on hostile input and reads a bounded prefix', () => {
    const started = process.hrtime.bigint();
    for (const unit of ['a', '1', "'", '"', 'a@', '0x', 'ab12', '1.', '::', '1:'])
      parameterise(unit.repeat(200_000));
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
    expect(parameterise(`${'x'.repeat(2_000)} 42`)).toBe('x'.repeat(1_024));
  });
});
