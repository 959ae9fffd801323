import { inhibitedBy, matchRoutes, type Route, type RoutingConfig } from '../routing/routing-config';
import type { SilenceMatcher } from '../silences/silence';
import type { StoredAlert } from '../model/alert.repository';

/** An alert with what the pipeline makes of it right now: who mutes it and where it goes. */
export interface AlertView {
  alert: StoredAlert;
  silencedBy: string[];
  inhibitedBy: string[];
  routes: Route[];
  receivers: string[];
}

/** Silences and inhibition as of `firing` (the alerts firing now, the possible inhibition sources). */
export function viewAlerts(
  alerts: readonly StoredAlert[],
  firing: readonly StoredAlert[],
  routing: RoutingConfig,
  silences: SilenceMatcher,
): AlertView[] {
  return alerts.map((alert) => {
    const routes = matchRoutes(routing.route, alert.labels);
    return {
      alert,
      silencedBy: silences.silencedBy(alert.labels),
      inhibitedBy: routing.inhibitRules.length ? inhibitedBy(routing.inhibitRules, alert, firing) : [],
      routes,
      receivers: [...new Set(routes.map((r) => r.receiver))],
    };
  });
}
