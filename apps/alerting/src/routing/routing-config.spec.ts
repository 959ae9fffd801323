import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { inhibitedBy, matchRoutes, groupKeyOf, groupLabelsOf } from './routing-config';
import { parseRoutingConfig, RoutingConfigError } from './routing-config.loader';

const FILE = 'alerting.yaml';
const yaml = `
global:
  resolve_timeout: 2m
route:
  receiver: digest
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
      group_by: ['...']
    - match_re: { severity: critical|high }
      receiver: chat
      repeat_interval: 1h
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity=~"high|medium"]
    equal: [service]
receivers:
  - name: digest
    webhook_configs: [{ url: "http://mail.example/digest" }]
  - name: pager
    pagerduty_configs: [{ routing_key: "0123456789abcdef" }]
  - name: chat
    slack_configs: [{ api_url: "https://hooks.slack.example/T/B/X", channel: "#ops" }]
`;

describe('routing config', () => {
  const config = parseRoutingConfig(yaml, FILE, 300_000);

  it('walks the tree like Alertmanager: continue goes on to siblings, no match falls back to the parent', () => {
    const receiversOf = (labels: Record<string, string>) =>
      matchRoutes(config.route, labels).map((route) => route.receiver);
    expect(receiversOf({ alertname: 'A', severity: 'critical' })).toEqual(['pager', 'chat']);
    expect(receiversOf({ alertname: 'A', severity: 'high' })).toEqual(['chat']);
    expect(receiversOf({ alertname: 'A', severity: 'low' })).toEqual(['digest']);
  });

  it('inherits timings and group_by, and keys groups by route and group labels', () => {
    const [pager, chat] = matchRoutes(config.route, { alertname: 'A', severity: 'critical', service: 's' });
    expect(config.resolveTimeoutMs).toBe(120_000);
    expect(chat).toMatchObject({
      groupWaitMs: 10_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 3_600_000,
    });
    expect(groupLabelsOf(chat, { alertname: 'A', severity: 'high' })).toEqual({ alertname: 'A' });
    expect(groupKeyOf(chat, { alertname: 'A' })).toBe('{}/{severity=~"critical|high"}:{alertname="A"}');
    expect(groupLabelsOf(pager, { b: '2', a: '1' })).toEqual({ a: '1', b: '2' });
  });

  it('inhibits targets only while a source with equal labels fires', () => {
    const source = { fingerprint: 's', labels: { severity: 'critical', service: 'db' } };
    const target = { fingerprint: 't', labels: { severity: 'high', service: 'db' } };
    const elsewhere = { fingerprint: 'u', labels: { severity: 'high', service: 'web' } };
    expect(inhibitedBy(config.inhibitRules, target, [source, target])).toEqual(['s']);
    expect(inhibitedBy(config.inhibitRules, elsewhere, [source])).toEqual([]);
    expect(inhibitedBy(config.inhibitRules, source, [source])).toEqual([]);
  });

  it('masks credentials in the config it serves', () => {
    expect(config.original).toContain('<secret>');
    expect(config.original).not.toContain('0123456789abcdef');
    expect(config.original).not.toContain('hooks.slack.example');
  });

  it.each([
    ['route: [', /is not valid YAML/],
    ['route: {receiver: x}\nreceivers: [{name: y}]', /route\.receiver: unknown receiver "x"/],
    [
      'route: {receiver: y, routes: [{matchers: ["a=~\\"(\\""]}]}\nreceivers: [{name: y}]',
      /route\.routes\[0\]\.matchers\[0\]: invalid regular expression/,
    ],
    // RE2 syntax, as Alertmanager's: JavaScript's lookaround and backreferences are config errors.
    [
      'route: {receiver: y, routes: [{matchers: ["a=~\\"(?=x)x\\""]}]}\nreceivers: [{name: y}]',
      /route\.routes\[0\]\.matchers\[0\]: invalid regular expression in a=~"\(\?=x\)x": .*Perl syntax/,
    ],
    [
      'route: {receiver: y, routes: [{match_re: {svc: "(a)\\\\1"}}]}\nreceivers: [{name: y}]',
      /route\.routes\[0\]\.match_re\.svc: invalid regular expression .*invalid escape sequence/,
    ],
    [
      'route: {receiver: y}\nreceivers: [{name: y}]\ninhibit_rules: [{target_matchers: ["b=~\\"(?<=x)y\\""]}]',
      /inhibit_rules\[0\]\.target_matchers\[0\]: invalid regular expression/,
    ],
    [
      'route: {receiver: y, group_wait: soon}\nreceivers: [{name: y}]',
      /route\.group_wait: must be a duration/,
    ],
    ['route: {receiver: y}\nreceivers: [{name: "y\\0"}]', /receivers\[0\]\.name: must not contain U\+0000/],
    ['route: {receiver: y}\nreceivers: [{name: "\\uD800"}]', /receivers\[0\]\.name: .*lone UTF-16 surrogate/],
    [
      'route: {receiver: y}\nreceivers: [{name: y}, {name: y}]',
      /receivers\[1\]\.name: receiver "y" is defined twice/,
    ],
    [
      'route: {receiver: y}\nreceivers: [{name: y, slack_configs: [{}]}]',
      /receivers\[0\]\.slack_configs\[0\]\.api_url/,
    ],
    ['route: {receiver: y, bogus: 1}\nreceivers: [{name: y}]', /^alerting\.yaml: route: /],
    [
      'route: {receiver: y}\nreceivers: [{name: y, email_configs: [{to: a@b.c, from: v@x}]}]',
      /receivers\[0\]\.email_configs\[0\]\.smarthost: is required as host:port/,
    ],
  ])('rejects %j naming the path', (text, message) => {
    expect(() => parseRoutingConfig(text, FILE, 1000)).toThrow(RoutingConfigError);
    expect(() => parseRoutingConfig(text, FILE, 1000)).toThrow(message);
  });
});

describe('routing config credentials from files (`*_file`, Alertmanager-compatible)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-routing-secrets-'));
  const secret = (name: string, value: string) => {
    const file = join(dir, name);
    writeFileSync(file, value);
    return file;
  };
  const routingKey = secret('pagerduty-routing-key', 'pd-key-from-secret\n');
  const slackUrl = secret('slack-api-url', 'https://hooks.slack.example/T/B/secret\n');
  const webhookUrl = secret('webhook-url', 'https://hooks.example/secret-path');
  const smtpPassword = secret('smtp-password', 'smtp-pass-from-secret\n');
  const empty = secret('empty', '\n');
  const notUrl = secret('not-url', 'pd-key-from-secret');
  const config = parseRoutingConfig(
    `
global:
  slack_api_url_file: ${slackUrl}
  smtp_auth_password_file: ${smtpPassword}
  smtp_auth_username: vigil
  smtp_from: vigil@example.com
  smtp_smarthost: smtp.example.com:587
route: { receiver: all }
receivers:
  - name: all
    pagerduty_configs: [{ routing_key_file: ${routingKey} }]
    slack_configs: [{ channel: '#ops' }]
    webhook_configs: [{ url_file: ${webhookUrl} }]
    email_configs: [{ to: ops@example.com }]
`,
    FILE,
    1000,
  );

  it('reads each credential from its file, trimmed, and keeps the paths (not the values) in the served config', () => {
    expect(config.receivers.get('all')?.integrations).toEqual([
      expect.objectContaining({ kind: 'webhook', url: 'https://hooks.example/secret-path' }),
      expect.objectContaining({ kind: 'slack', apiUrl: 'https://hooks.slack.example/T/B/secret' }),
      expect.objectContaining({ kind: 'pagerduty', routingKey: 'pd-key-from-secret' }),
      expect.objectContaining({ kind: 'email', auth: { user: 'vigil', pass: 'smtp-pass-from-secret' } }),
    ]);
    expect(config.original).toContain(routingKey);
    for (const value of ['pd-key-from-secret', 'secret-path', 'smtp-pass-from-secret', 'T/B/secret']) {
      expect(config.original).not.toContain(value);
    }
  });

  const receiverWith = (integration: string) =>
    `route: {receiver: r}\nreceivers: [{name: r, ${integration}}]`;
  it.each([
    [
      receiverWith(`pagerduty_configs: [{routing_key_file: ${join(dir, 'missing')}}]`),
      `receivers[0].pagerduty_configs[0].routing_key_file: cannot read ${join(dir, 'missing')} (ENOENT)`,
    ],
    [
      receiverWith(`pagerduty_configs: [{routing_key_file: ${empty}}]`),
      `receivers[0].pagerduty_configs[0].routing_key_file: ${empty} is empty`,
    ],
    [
      receiverWith(`pagerduty_configs: [{routing_key: k, routing_key_file: ${routingKey}}]`),
      'receivers[0].pagerduty_configs[0].routing_key: at most one of routing_key and routing_key_file may be set',
    ],
    [receiverWith('pagerduty_configs: [{}]'), 'receivers[0].pagerduty_configs[0].routing_key: is required'],
    [
      receiverWith(`slack_configs: [{api_url_file: ${notUrl}}]`),
      `receivers[0].slack_configs[0].api_url_file: ${notUrl} must hold an http(s) URL`,
    ],
    [receiverWith('webhook_configs: [{}]'), 'receivers[0].webhook_configs[0].url: is required (or url_file)'],
    [
      `global: {slack_api_url_file: ${empty}}\n${receiverWith('slack_configs: [{}]')}`,
      `global.slack_api_url_file: ${empty} is empty`,
    ],
  ])('rejects %j naming the key and the file', (text, message) => {
    expect(() => parseRoutingConfig(text, FILE, 1000)).toThrow(`${FILE}: ${message}`);
  });

  it('never puts a file content in an error', () => {
    const text = receiverWith(`slack_configs: [{api_url_file: ${notUrl}}]`);
    expect(() => parseRoutingConfig(text, FILE, 1000)).toThrow(notUrl);
    expect(() => parseRoutingConfig(text, FILE, 1000)).not.toThrow('pd-key-from-secret');
  });
});
