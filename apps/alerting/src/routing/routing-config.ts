import type { LabelSet } from '../model/alert';
import { formatMatcher, matchesAll, type CompiledMatcher } from '../matchers/label-matcher';

/** `group_by: ['...']`: every label is a group label (each distinct alert is its own group). */
export type GroupBy = { kind: 'all' } | { kind: 'labels'; names: string[] };

/** A node of the route tree with everything inherited from its parents already filled in. */
export interface Route {
  /** Alertmanager's route key: `{}` for the root, `{}/{severity="critical"}` for a child. */
  key: string;
  receiver: string;
  matchers: CompiledMatcher[];
  continue: boolean;
  groupBy: GroupBy;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  routes: Route[];
}

export interface InhibitRule {
  source: CompiledMatcher[];
  target: CompiledMatcher[];
  equal: string[];
}

export interface WebhookIntegration {
  kind: 'webhook';
  url: string;
  sendResolved: boolean;
}
export interface SlackIntegration {
  kind: 'slack';
  apiUrl: string;
  channel?: string;
  sendResolved: boolean;
}
export interface PagerDutyIntegration {
  kind: 'pagerduty';
  routingKey: string;
  url: string;
  sendResolved: boolean;
}
export interface EmailIntegration {
  kind: 'email';
  to: string;
  from: string;
  /** SMTP server host and port (Alertmanager's `smarthost`). */
  host: string;
  port: number;
  auth: { user: string; pass: string } | null;
  requireTls: boolean;
  sendResolved: boolean;
}
export type Integration = WebhookIntegration | SlackIntegration | PagerDutyIntegration | EmailIntegration;

export interface Receiver {
  name: string;
  integrations: Integration[];
}

/**
 * Vigil's extension: while an alert matching `matchers` is neither acknowledged nor resolved, step i
 * tells `receiver` once `afterMs` have passed since it fired; after the last step, that receiver is
 * told again every `repeatIntervalMs` (when set).
 */
export interface EscalationPolicy {
  name: string;
  matchers: CompiledMatcher[];
  steps: { afterMs: number; receiver: string }[];
  repeatIntervalMs: number | null;
}

/** The validated routing configuration the pipeline runs on; swapped whole on reload. */
export interface RoutingConfig {
  resolveTimeoutMs: number;
  route: Route;
  inhibitRules: InhibitRule[];
  escalationPolicies: EscalationPolicy[];
  receivers: Map<string, Receiver>;
  /** The file as loaded, secrets masked, for `GET /api/v2/status` (empty without a file). */
  original: string;
}

/**
 * The routes an alert takes, as Alertmanager walks the tree: a child that matches takes the alert;
 * later siblings are tried only when it says `continue: true`; a node none of whose children match
 * takes the alert itself.
 */
export function matchRoutes(route: Route, labels: LabelSet): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const matched: Route[] = [];
  for (const child of route.routes) {
    const taken = matchRoutes(child, labels);
    matched.push(...taken);
    if (taken.length && !child.continue) break;
  }
  return matched.length ? matched : [route];
}

/** The labels that name an alert's group on `route`, sorted by name. */
export function groupLabelsOf(route: Route, labels: LabelSet): LabelSet {
  const names =
    route.groupBy.kind === 'all' ? Object.keys(labels) : route.groupBy.names.filter((n) => n in labels);
  return Object.fromEntries(names.sort().map((name) => [name, labels[name]]));
}

/** `{}/{severity="critical"}:{alertname="X"}`: the route key, then the group labels. */
export function groupKeyOf(route: Route, groupLabels: LabelSet): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(groupLabels[name])}`);
  return `${route.key}:{${pairs.join(', ')}}`;
}

export function childRouteKey(parentKey: string, matchers: readonly CompiledMatcher[]): string {
  return `${parentKey}/{${matchers.map(formatMatcher).join(',')}}`;
}

/**
 * Alertmanager's inhibition: `target` is muted while some other firing alert matches a rule's
 * source matchers and carries the same values for the rule's `equal` labels.
 */
export function inhibitedBy(
  rules: readonly InhibitRule[],
  target: { fingerprint: string; labels: LabelSet },
  firing: readonly { fingerprint: string; labels: LabelSet }[],
): string[] {
  const by = new Set<string>();
  for (const rule of rules) {
    if (!matchesAll(rule.target, target.labels)) continue;
    for (const source of firing) {
      if (source.fingerprint === target.fingerprint) continue;
      if (!matchesAll(rule.source, source.labels)) continue;
      if (rule.equal.every((name) => (source.labels[name] ?? '') === (target.labels[name] ?? ''))) {
        by.add(source.fingerprint);
      }
    }
  }
  return [...by].sort();
}
