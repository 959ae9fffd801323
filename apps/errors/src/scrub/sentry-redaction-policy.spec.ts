import { createRedactor } from '@vigil/redaction';

import { sentryEventRedactionPolicy } from './sentry-redaction-policy';

describe('sentryEventRedactionPolicy', () => {
  const local = { account: "'123456789012'", holder: "'Nusrat Jahan'", user_id: '4411' };

  it('adds the key names of error events to the default policy', () => {
    expect(createRedactor().redact(local)).toEqual(local);
    expect(createRedactor(sentryEventRedactionPolicy()).redact(local)).toEqual({
      account: '[REDACTED]',
      holder: '[REDACTED]',
      user_id: '4411',
    });
  });

  it("keeps the project's own extra keys, strategies and allowed keys", () => {
    const policy = sentryEventRedactionPolicy({
      extraKeys: { 'loyalty card': 'card' },
      allowKeys: ['holder'],
      strategies: { account_number: 'mask' },
    });
    expect(createRedactor(policy).redact({ ...local, loyaltyCard: 'LC-1' })).toEqual({
      account: '****9012',
      holder: "'Nusrat Jahan'",
      user_id: '4411',
      loyaltyCard: '[REDACTED]',
    });
    expect(sentryEventRedactionPolicy({ extraKeys: ['tax code'] }).extraKeys).toMatchObject({
      'tax code': 'secret',
      account: 'account_number',
    });
  });
});
