import type { AlertView } from '../alerts/alert-view';

/** One alert of `GET /api/v2/alerts`, in Alertmanager's gettableAlert shape. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

/** A silenced or inhibited alert is `suppressed`; every other firing alert is `active`. */
export function toGettableAlert(view: AlertView): GettableAlert {
  const { alert } = view;
  const suppressed = view.silencedBy.length > 0 || view.inhibitedBy.length > 0;
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt.toISOString(),
    endsAt: alert.endsAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
    fingerprint: alert.fingerprint,
    status: {
      state: suppressed ? 'suppressed' : 'active',
      silencedBy: view.silencedBy,
      inhibitedBy: view.inhibitedBy,
    },
    receivers: view.receivers.map((name) => ({ name })),
  };
}
