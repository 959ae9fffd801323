import { readFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';

import { findUnstorable } from '@vigil/contracts';
import { redact } from '@vigil/redaction';

import {
  compileMatcher,
  MatcherSyntaxError,
  parseMatchers,
  type CompiledMatcher,
  type LabelMatcher,
} from '../matchers/label-matcher';
import { parseDuration } from './duration';
import {
  childRouteKey,
  type EscalationPolicy,
  type GroupBy,
  type InhibitRule,
  type Integration,
  type Receiver,
  type Route,
  type RoutingConfig,
} from './routing-config';

/** A config file that cannot be used; the message names the file and the path inside it. */
export class RoutingConfigError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'RoutingConfigError';
  }
}

const duration = z.string().refine((text) => parseDuration(text) !== null, {
  message: 'must be a duration such as 30s, 5m or 4h',
});
const matcherList = z.array(z.string());
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a label name');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** Alertmanager's `*_file` keys: the path of a file (a mounted Secret) holding the credential. */
const secretFile = z.string().min(1, 'must be a file path');

interface RawRoute {
  receiver?: string;
  group_by?: string[];
  continue?: boolean;
  matchers?: string[];
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: RawRoute[];
}

const routeSchema: z.ZodType<RawRoute> = z.lazy(() =>
  z.strictObject({
    receiver: z.string().optional(),
    group_by: z.array(z.string()).optional(),
    continue: z.boolean().optional(),
    matchers: matcherList.optional(),
    match: z.record(labelName, z.string()).optional(),
    match_re: z.record(labelName, z.string()).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    routes: z.array(routeSchema).optional(),
  }),
);

const fileSchema = z.strictObject({
  global: z
    .strictObject({
      resolve_timeout: duration.optional(),
      slack_api_url: url.optional(),
      slack_api_url_file: secretFile.optional(),
      pagerduty_url: url.optional(),
      smtp_from: z.string().optional(),
      smtp_smarthost: z.string().optional(),
      smtp_auth_username: z.string().optional(),
      smtp_auth_password: z.string().optional(),
      smtp_auth_password_file: secretFile.optional(),
      smtp_require_tls: z.boolean().optional(),
    })
    .optional(),
  route: routeSchema,
  inhibit_rules: z
    .array(
      z.strictObject({
        source_matchers: matcherList.optional(),
        target_matchers: matcherList.optional(),
        equal: z.array(labelName).optional(),
      }),
    )
    .optional(),
  receivers: z
    .array(
      z.strictObject({
        name: z.string().min(1, 'must not be empty'),
        webhook_configs: z
          .array(
            z.strictObject({
              url: url.optional(),
              url_file: secretFile.optional(),
              send_resolved: z.boolean().optional(),
            }),
          )
          .optional(),
        slack_configs: z
          .array(
            z.strictObject({
              api_url: url.optional(),
              api_url_file: secretFile.optional(),
              channel: z.string().optional(),
              send_resolved: z.boolean().optional(),
            }),
          )
          .optional(),
        pagerduty_configs: z
          .array(
            z.strictObject({
              routing_key: z.string().min(1, 'must not be empty').optional(),
              routing_key_file: secretFile.optional(),
              url: url.optional(),
              send_resolved: z.boolean().optional(),
            }),
          )
          .optional(),
        email_configs: z
          .array(
            z.strictObject({
              to: z.string().min(3, 'must be an e-mail address'),
              from: z.string().optional(),
              smarthost: z.string().optional(),
              auth_username: z.string().optional(),
              auth_password: z.string().optional(),
              auth_password_file: secretFile.optional(),
              require_tls: z.boolean().optional(),
              send_resolved: z.boolean().optional(),
            }),
          )
          .optional(),
      }),
    )
    .min(1, 'at least one receiver is required'),
  templates: z.array(z.string()).optional(),
  escalation_policies: z
    .array(
      z.strictObject({
        name: z.string().min(1, 'must not be empty'),
        matchers: matcherList.optional(),
        steps: z
          .array(z.strictObject({ after: duration, receiver: z.string() }))
          .min(1, 'at least one step is required'),
        repeat_interval: duration.optional(),
      }),
    )
    .optional(),
});

type RawFile = z.infer<typeof fileSchema>;

const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';
const ROOT_DEFAULTS = { groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' };
/** Keys whose values are credentials; masked in the config served by `GET /api/v2/status`. */
const SECRET_KEYS = new Set([
  'api_url',
  'slack_api_url',
  'routing_key',
  'url',
  'pagerduty_url',
  'auth_password',
  'smtp_auth_password',
]);

/** Reads, parses and validates an Alertmanager-format YAML file; every problem names its path. */
export function loadRoutingConfigFile(file: string, defaultResolveTimeoutMs: number): RoutingConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RoutingConfigError(file, '', `cannot be read: ${(error as Error).message}`);
  }
  return parseRoutingConfig(text, file, defaultResolveTimeoutMs);
}

export function parseRoutingConfig(
  text: string,
  file: string,
  defaultResolveTimeoutMs: number,
): RoutingConfig {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new RoutingConfigError(file, '', `is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const json: unknown = doc.toJS();
  const unstorable = findUnstorable(json);
  if (unstorable) throw new RoutingConfigError(file, unstorable.path, unstorable.message);
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RoutingConfigError(file, pathOf(issue.path), issue.message);
  }
  const raw = parsed.data;
  const fail = (path: string, problem: string): never => {
    throw new RoutingConfigError(file, path, problem);
  };
  const receivers = buildReceivers(raw, fail);
  const route = buildRoute(raw.route, null, 'route', receivers, fail);
  const inhibitRules: InhibitRule[] = (raw.inhibit_rules ?? []).map((rule, i) => ({
    source: compileAll(rule.source_matchers ?? [], `inhibit_rules[${i}].source_matchers`, fail),
    target: compileAll(rule.target_matchers ?? [], `inhibit_rules[${i}].target_matchers`, fail),
    equal: rule.equal ?? [],
  }));
  const escalationPolicies = buildEscalationPolicies(raw, receivers, fail);
  const resolveTimeout = raw.global?.resolve_timeout;
  return {
    resolveTimeoutMs: resolveTimeout ? (parseDuration(resolveTimeout) ?? 0) : defaultResolveTimeoutMs,
    route,
    inhibitRules,
    escalationPolicies,
    receivers,
    original: stringify(redact(mask(doc.toJS()))),
  };
}

/** The configuration without a file: every alert, each its own group, to ALERT_WEBHOOK_URL at once. */
export function defaultRoutingConfig(webhookUrl: string, resolveTimeoutMs: number): RoutingConfig {
  const receiver: Receiver = {
    name: 'default',
    integrations: [{ kind: 'webhook', url: webhookUrl, sendResolved: true }],
  };
  return {
    resolveTimeoutMs,
    route: {
      key: '{}',
      receiver: receiver.name,
      matchers: [],
      continue: false,
      groupBy: { kind: 'all' },
      groupWaitMs: 0,
      groupIntervalMs: 0,
      repeatIntervalMs: 4 * 3_600_000,
      routes: [],
    },
    inhibitRules: [],
    escalationPolicies: [],
    receivers: new Map([[receiver.name, receiver]]),
    original: '',
  };
}

type Fail = (path: string, problem: string) => never;

function buildEscalationPolicies(
  raw: RawFile,
  receivers: Map<string, Receiver>,
  fail: Fail,
): EscalationPolicy[] {
  const names = new Set<string>();
  return (raw.escalation_policies ?? []).map((policy, i) => {
    const path = `escalation_policies[${i}]`;
    if (names.has(policy.name)) fail(`${path}.name`, `escalation policy "${policy.name}" is defined twice`);
    names.add(policy.name);
    let previous = -1;
    const steps = policy.steps.map((step, j) => {
      const afterMs = parseDuration(step.after) ?? 0;
      if (afterMs <= previous) fail(`${path}.steps[${j}].after`, 'must be later than the previous step');
      previous = afterMs;
      if (!receivers.has(step.receiver)) {
        fail(`${path}.steps[${j}].receiver`, `unknown receiver "${step.receiver}"`);
      }
      return { afterMs, receiver: step.receiver };
    });
    const repeat = policy.repeat_interval ? parseDuration(policy.repeat_interval) : null;
    if (repeat === 0) fail(`${path}.repeat_interval`, 'must be greater than 0');
    return {
      name: policy.name,
      matchers: compileAll(policy.matchers ?? [], `${path}.matchers`, fail),
      steps,
      repeatIntervalMs: repeat,
    };
  });
}

function buildReceivers(raw: RawFile, fail: Fail): Map<string, Receiver> {
  const receivers = new Map<string, Receiver>();
  const global = raw.global ?? {};
  const globalSlackUrl = credential(global, 'slack_api_url', 'global', fail, { url: true });
  const globalSmtpPassword = credential(global, 'smtp_auth_password', 'global', fail);
  raw.receivers.forEach((r, i) => {
    const path = `receivers[${i}]`;
    if (receivers.has(r.name)) fail(`${path}.name`, `receiver "${r.name}" is defined twice`);
    const integrations: Integration[] = [
      ...(r.webhook_configs ?? []).map((c, j): Integration => {
        const at = `${path}.webhook_configs[${j}]`;
        const target = credential(c, 'url', at, fail, { url: true });
        if (!target) fail(`${at}.url`, 'is required (or url_file)');
        return { kind: 'webhook', url: target ?? '', sendResolved: c.send_resolved ?? true };
      }),
      ...(r.slack_configs ?? []).map((c, j): Integration => {
        const at = `${path}.slack_configs[${j}]`;
        const apiUrl = credential(c, 'api_url', at, fail, { url: true }) ?? globalSlackUrl;
        if (!apiUrl) fail(`${at}.api_url`, 'is required (or api_url_file, global.slack_api_url)');
        return {
          kind: 'slack',
          apiUrl: apiUrl ?? '',
          channel: c.channel,
          sendResolved: c.send_resolved ?? false,
        };
      }),
      ...(r.pagerduty_configs ?? []).map((c, j): Integration => {
        const at = `${path}.pagerduty_configs[${j}]`;
        const routingKey = credential(c, 'routing_key', at, fail);
        if (!routingKey) fail(`${at}.routing_key`, 'is required (or routing_key_file)');
        return {
          kind: 'pagerduty',
          routingKey: routingKey ?? '',
          url: c.url ?? global.pagerduty_url ?? DEFAULT_PAGERDUTY_URL,
          sendResolved: c.send_resolved ?? true,
        };
      }),
      ...(r.email_configs ?? []).map((c, j): Integration => {
        const at = `${path}.email_configs[${j}]`;
        const from = c.from ?? global.smtp_from;
        if (!from) fail(`${at}.from`, 'is required (or global.smtp_from)');
        const smarthost = c.smarthost ?? global.smtp_smarthost;
        const parsed = /^([^:\s]+):(\d{1,5})$/.exec(smarthost ?? '');
        if (!parsed) fail(`${at}.smarthost`, 'is required as host:port (or global.smtp_smarthost)');
        const user = c.auth_username ?? global.smtp_auth_username;
        const pass = credential(c, 'auth_password', at, fail) ?? globalSmtpPassword ?? '';
        return {
          kind: 'email',
          to: c.to,
          from: from ?? '',
          host: parsed?.[1] ?? '',
          port: Number(parsed?.[2]),
          auth: user ? { user, pass } : null,
          requireTls: c.require_tls ?? global.smtp_require_tls ?? false,
          sendResolved: c.send_resolved ?? false,
        };
      }),
    ];
    receivers.set(r.name, { name: r.name, integrations });
  });
  return receivers;
}

/**
 * A credential given inline (`key`) or, as Alertmanager allows, in a file (`key_file`: a mounted
 * Secret, so the value never sits in a ConfigMap). Files are read at every load, so a reload picks
 * up a rotated Secret; errors name the file, never its content.
 */
function credential<K extends string>(
  section: Partial<Record<K | `${K}_file`, string>>,
  key: K,
  at: string,
  fail: Fail,
  { url: mustBeUrl = false } = {},
): string | undefined {
  const fileKey = `${key}_file` as const;
  const file = section[fileKey];
  if (file === undefined) return section[key];
  if (section[key] !== undefined) fail(`${at}.${key}`, `at most one of ${key} and ${fileKey} may be set`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return fail(`${at}.${fileKey}`, `cannot read ${file} (${code})`);
  }
  if (!text) fail(`${at}.${fileKey}`, `${file} is empty`);
  if (mustBeUrl && !url.safeParse(text).success) fail(`${at}.${fileKey}`, `${file} must hold an http(s) URL`);
  return text;
}

function buildRoute(
  raw: RawRoute,
  parent: Route | null,
  path: string,
  receivers: Map<string, Receiver>,
  fail: Fail,
): Route {
  const matchers = [
    ...compileAll(raw.matchers ?? [], `${path}.matchers`, fail),
    ...Object.entries(raw.match ?? {}).map(([name, value]) =>
      compileOne({ name, type: '=', value }, `${path}.match.${name}`, fail),
    ),
    ...Object.entries(raw.match_re ?? {}).map(([name, value]) =>
      compileOne({ name, type: '=~', value }, `${path}.match_re.${name}`, fail),
    ),
  ];
  if (!parent && matchers.length) fail(path, 'the root route must not have matchers');
  const receiver = raw.receiver ?? parent?.receiver;
  if (!receiver) fail(`${path}.receiver`, 'is required on the root route');
  if (receiver && !receivers.has(receiver)) fail(`${path}.receiver`, `unknown receiver "${receiver}"`);
  if (!parent && raw.continue) fail(`${path}.continue`, 'the root route cannot continue');
  const ms = (value: string | undefined, inherited: number | undefined, rootDefault: string) =>
    parseDuration(value ?? '') ?? inherited ?? parseDuration(rootDefault) ?? 0;
  const groupIntervalMs = ms(raw.group_interval, parent?.groupIntervalMs, ROOT_DEFAULTS.groupInterval);
  const repeatIntervalMs = ms(raw.repeat_interval, parent?.repeatIntervalMs, ROOT_DEFAULTS.repeatInterval);
  if (raw.group_interval !== undefined && groupIntervalMs === 0) {
    fail(`${path}.group_interval`, 'must be greater than 0');
  }
  if (raw.repeat_interval !== undefined && repeatIntervalMs === 0) {
    fail(`${path}.repeat_interval`, 'must be greater than 0');
  }
  let groupBy: GroupBy = parent?.groupBy ?? { kind: 'labels', names: [] };
  if (raw.group_by) {
    if (raw.group_by.includes('...')) {
      if (raw.group_by.length > 1) fail(`${path}.group_by`, '"..." must be the only entry');
      groupBy = { kind: 'all' };
    } else {
      raw.group_by.forEach((name, i) => {
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) fail(`${path}.group_by[${i}]`, 'must be a label name');
      });
      groupBy = { kind: 'labels', names: [...new Set(raw.group_by)] };
    }
  }
  const route: Route = {
    key: parent ? childRouteKey(parent.key, matchers) : '{}',
    receiver: receiver ?? '',
    matchers,
    continue: raw.continue ?? false,
    groupBy,
    groupWaitMs: ms(raw.group_wait, parent?.groupWaitMs, ROOT_DEFAULTS.groupWait),
    groupIntervalMs,
    repeatIntervalMs,
    routes: [],
  };
  route.routes = (raw.routes ?? []).map((child, i) =>
    buildRoute(child, route, `${path}.routes[${i}]`, receivers, fail),
  );
  return route;
}

function compileAll(texts: readonly string[], path: string, fail: Fail): CompiledMatcher[] {
  return texts.flatMap((text, i) => {
    let parsed: LabelMatcher[];
    try {
      parsed = parseMatchers(text);
    } catch (error) {
      return fail(`${path}[${i}]`, (error as Error).message);
    }
    return parsed.map((m) => compileOne(m, `${path}[${i}]`, fail));
  });
}

function compileOne(matcher: LabelMatcher, path: string, fail: Fail): CompiledMatcher {
  try {
    return compileMatcher(matcher);
  } catch (error) {
    if (error instanceof MatcherSyntaxError) return fail(path, error.message);
    throw error;
  }
}

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '<secret>' : mask(v)]),
    );
  }
  return value;
}

/** `['route', 'routes', 1, 'matchers', 0]` → `route.routes[1].matchers[0]` */
function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}
