/** Probe paths every service serves; k8s/ manifests are tested against this table. */
export const PROBE_PATHS = {
  liveness: '/health/liveness',
  readiness: '/health/readiness',
  startup: '/health/startup',
} as const;
