import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';

export const PROBE_SUCCESS = 'probe_success';
export const PROBE_DURATION_SECONDS = 'probe_duration_seconds';

/** Blackbox-exporter style gauges of the latest check of each target. */
export const probeMetricProviders = [
  makeGaugeProvider({
    name: PROBE_SUCCESS,
    help: 'Whether the latest check of the target succeeded (1) or not (0)',
    labelNames: ['target'],
  }),
  makeGaugeProvider({
    name: PROBE_DURATION_SECONDS,
    help: 'Duration of the latest check of the target in seconds',
    labelNames: ['target'],
  }),
];
