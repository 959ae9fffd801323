import { mayPublishAs } from './publish-sources';

describe('mayPublishAs', () => {
  it('allows the sources a key lists, and any source for "*"', () => {
    expect(mayPublishAs({ sources: ['shop', 'profile'] }, 'shop')).toBe(true);
    expect(mayPublishAs({ sources: ['shop', 'profile'] }, 'billing')).toBe(false);
    expect(mayPublishAs({ sources: ['*'] }, 'billing')).toBe(true);
  });

  it('allows nothing to a principal without sources (OIDC tokens, keys without audit:publish)', () => {
    expect(mayPublishAs({}, 'shop')).toBe(false);
  });
});
