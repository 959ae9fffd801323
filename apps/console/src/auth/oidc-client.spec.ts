import { ConfigError, loadConfig } from '@vigil/platform';

import { consoleConfigSchema } from '../config/console-config';
import { codeChallengeOf, oidcClientSettings } from './oidc-client';

const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x', ENVIRONMENT: 'test' };
const config = (env: Record<string, string>) => loadConfig(consoleConfigSchema, { ...base, ...env }, 3000);

describe('OIDC client settings', () => {
  it('computes the S256 challenge of RFC 7636, appendix B', () => {
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('is off without OIDC_CLIENT_ID, and builds the redirect URI from CONSOLE_PUBLIC_URL', () => {
    expect(oidcClientSettings(config({}))).toBeNull();
    expect(
      oidcClientSettings(
        config({
          OIDC_CLIENT_ID: 'console',
          OIDC_ISSUER: 'https://id.example.com',
          CONSOLE_PUBLIC_URL: 'https://vigil.example.com/',
        }),
      ),
    ).toMatchObject({
      clientId: 'console',
      scopes: 'openid profile email',
      redirectUri: 'https://vigil.example.com/login/oidc/callback',
    });
  });

  it('stops boot with one line naming the variable when the settings cannot work', () => {
    expect(() => oidcClientSettings(config({ OIDC_CLIENT_ID: 'console' }))).toThrow(
      new ConfigError('OIDC_ISSUER', 'is required with OIDC_CLIENT_ID'),
    );
    expect(() => oidcClientSettings(config({ OIDC_CLIENT_ID: 'console', OIDC_ISSUER: 'corp-idp' }))).toThrow(
      /OIDC_ISSUER: must be the issuer's http\(s\) URL/,
    );
    expect(() => config({ OIDC_SCOPES: 'profile email' })).toThrow(/OIDC_SCOPES: must include openid/);
  });
});
