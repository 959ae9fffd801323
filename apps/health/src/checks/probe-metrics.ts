import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';

export const PROBE_SUCCESS = 'probe_success';
export const PROBE_DURATION_SECONDS = 'probe_duration_seconds';
export const PROBE_HTTP_STATUS_CODE = 'probe_http_status_code';
export const PROBE_HTTP_DURATION_SECONDS = 'probe_http_duration_seconds';
export const PROBE_SSL_EARLIEST_CERT_EXPIRY = 'probe_ssl_earliest_cert_expiry';

/** Gauges of the latest check of each target, named and labelled as blackbox_exporter's. */
export const probeMetricProviders = [
  makeGaugeProvider({
    name: PROBE_SUCCESS,
    help: 'Displays whether or not the probe was a success',
    labelNames: ['target'],
  }),
  makeGaugeProvider({
    name: PROBE_DURATION_SECONDS,
    help: 'Returns how long the probe took to complete in seconds',
    labelNames: ['target'],
  }),
  makeGaugeProvider({
    name: PROBE_HTTP_STATUS_CODE,
    help: 'Response HTTP status code (0 when no response arrived)',
    labelNames: ['target'],
  }),
  makeGaugeProvider({
    name: PROBE_HTTP_DURATION_SECONDS,
    help: 'Duration of http request by phase, summed over all redirects',
    labelNames: ['target', 'phase'],
  }),
  makeGaugeProvider({
    name: PROBE_SSL_EARLIEST_CERT_EXPIRY,
    help: 'Returns last SSL chain expiry in unixtime',
    labelNames: ['target'],
  }),
];
