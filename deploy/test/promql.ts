// PromQL and rule-file reading shared by the monitoring checks: which metrics an expression reads, the rule
// groups of k8s/base/prometheus-rules, and the series selectors of promtool test inputs.
import fs from 'node:fs';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { REPO_ROOT } from './support';

export const RULES_DIR = 'k8s/base/prometheus-rules';
export const RULE_TESTS_DIR = 'deploy/test/prometheus';
export const DASHBOARDS_DIR = 'k8s/base/dashboards';

export const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);

/** Metric names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/(?<![\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => !PROMQL_WORDS.has(name));
}

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** The files of a repository directory whose names end in `suffix`, sorted, as repository paths. */
function filesIn(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, dir))
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/** The rule files compose's Prometheus loads and the PrometheusRule is generated from. */
export function ruleFiles(): string[] {
  return filesIn(RULES_DIR, '.rules.yaml');
}

export function ruleGroups(file: string): RuleGroup[] {
  return (parseYaml(read(file)) as { groups: RuleGroup[] }).groups;
}

/** Every rule of every rule file. */
export function allRules(): Rule[] {
  return ruleFiles().flatMap((f) => ruleGroups(f).flatMap((g) => g.rules));
}

/** Series the recording rules write. */
export function recordedSeries(): Set<string> {
  return new Set(allRules().flatMap((r) => (r.record ? [r.record] : [])));
}

/** Metrics the recording rules read that no recording rule writes: what the exporters must export. */
export function exporterSeriesRead(): Set<string> {
  const recorded = recordedSeries();
  return new Set(
    allRules()
      .filter((r) => r.record)
      .flatMap((r) => metricNames(r.expr))
      .filter((name) => !recorded.has(name)),
  );
}

export interface SeriesSelector {
  name: string;
  labels: Record<string, string>;
}

/** Parses a promtool input series, `name{a="x", b="y"}`. */
export function parseSeries(series: string): SeriesSelector {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/.exec(series.trim());
  if (!match) throw new Error(`not a series selector: ${series}`);
  const labels: Record<string, string> = {};
  for (const [, key, value] of (match[2] ?? '').matchAll(
    /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g,
  ))
    labels[key] = value;
  return { name: match[1], labels };
}

export interface RuleTestFile {
  rule_files: string[];
  tests: {
    input_series?: { series: string; values: string }[];
    alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[];
  }[];
}

/** The promtool test files. */
export function ruleTestFiles(): string[] {
  return filesIn(RULE_TESTS_DIR, '.test.yaml');
}

export function ruleTest(file: string): RuleTestFile {
  return parseYaml(read(file)) as RuleTestFile;
}

export interface Dashboard {
  title: string;
  panels: { title: string; targets: { expr: string }[] }[];
  templating?: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

/** The dashboard files' names (in k8s/base/dashboards). */
export function dashboardFiles(): string[] {
  return filesIn(DASHBOARDS_DIR, '.json').map((f) => path.basename(f));
}

export function dashboard(file: string): Dashboard {
  return JSON.parse(read(`${DASHBOARDS_DIR}/${file}`)) as Dashboard;
}

/** Every PromQL query of a dashboard: panel targets and query variables (`label_values(<expr>, label)`). */
export function dashboardQueries(board: Dashboard): { where: string; expr: string }[] {
  const panels = board.panels.flatMap((p) => p.targets.map(({ expr }) => ({ where: p.title, expr })));
  const variables = (board.templating?.list ?? [])
    .filter((v) => v.type === 'query' && v.query)
    .map((v) => {
      const query = typeof v.query === 'string' ? v.query : v.query!.query;
      const labelValues = /^label_values\((.*),\s*[a-zA-Z_]+\)$/.exec(query);
      return { where: `variable ${v.name}`, expr: labelValues ? labelValues[1] : query };
    });
  return [...panels, ...variables];
}

/** The .ts sources of Vigil's services and libs, where its own metric names are defined (`'name'`). */
export function vigilMetricSource(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  for (const root of ['apps', 'libs'])
    for (const project of fs.readdirSync(path.join(REPO_ROOT, root))) {
      const src = path.join(REPO_ROOT, root, project, 'src');
      if (fs.existsSync(src)) walk(src);
    }
  return texts.join('\n');
}

/** The topics (lower-case words) that no panel title of the dashboards mentions. */
export function topicsMissing(boards: Dashboard[], topics: string[]): string[] {
  const titles = boards
    .flatMap((b) => b.panels)
    .map((p) => p.title.toLowerCase())
    .join('\n');
  return topics.filter((topic) => !titles.includes(topic));
}
