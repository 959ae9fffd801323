/** Injection token of the OidcVerifier, or null when OIDC_JWKS_URL is unset. */
export const OIDC_VERIFIER = Symbol('OIDC_VERIFIER');
