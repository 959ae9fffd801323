/** Injection token of the validated configuration (the service's own schema output). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** Injection token of the service's identity: `{ name, version, gitSha, environment }`. */
export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

export interface ServiceIdentity {
  name: string;
  version: string;
  gitSha: string;
  environment: string;
}
