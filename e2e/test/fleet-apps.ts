import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { GiveUp, repoRoot, tempDir, waitFor } from '@vigil/testing';

/**
 * The watched fleet of the end-to-end tests, as real processes: the example Django site under gunicorn, the
 * example FastAPI app under uvicorn (Debian's packages, Debian's interpreter) and a real Prometheus scraping
 * them with the shipped rule files.
 */

/** Debian's interpreter: it sees python3-django, -django-prometheus, -fastapi (the pyenv python3 on PATH does not). */
export const PYTHON = '/usr/bin/python3';
export const PROMETHEUS = '/usr/bin/prometheus';
const DJANGO_DIR = path.join(repoRoot(), 'examples', 'django-profile');
const FASTAPI_DIR = path.join(repoRoot(), 'examples', 'fastapi-catalog');
const RULES_DIR = path.join(repoRoot(), 'k8s', 'base', 'prometheus-rules');
/** Every shipped `for:` becomes this in the test's copy of the rules (see shortenedRuleFiles). */
export const TEST_RULE_FOR = '3s';

const execFileAsync = promisify(execFile);

export interface AppProcess {
  url: string;
  port: number;
  /** stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

function run(name: string, command: string, args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.once('error', (err) => keep(Buffer.from(`cannot start ${name}: ${err.message}\n`)));
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilReady(name: string, url: string, child: ChildProcess, output: () => string) {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new GiveUp(`${name} exited (${child.exitCode}):\n${output()}`);
      return (await fetch(url)).status === 200;
    },
    { timeoutMs: 30_000, intervalMs: 200, description: `${name} answering ${url}` },
  );
}

export interface DjangoProfileOptions {
  port: number;
  /** Vigil's audit service and the key the Python client publishes with (source "profile"). */
  auditUrl: string;
  apiKey: string;
  adminPassword: string;
}

/** The example site on a fresh sqlite database: migrate, seed_demo (admin + demo profiles), then gunicorn. */
export async function startDjangoProfile(options: DjangoProfileOptions): Promise<AppProcess> {
  const dir = tempDir('vigil-django-');
  const env = {
    ...baseEnv(),
    PROFILE_DB_PATH: path.join(dir, 'db.sqlite3'),
    PROFILE_MEDIA_ROOT: path.join(dir, 'media'),
    PROFILE_BIND: `127.0.0.1:${options.port}`,
    PROFILE_ADMIN_PASSWORD: options.adminPassword,
    VIGIL_AUDIT_URL: options.auditUrl,
    VIGIL_API_KEY: options.apiKey,
    VIGIL_AUDIT_SOURCE: 'profile',
    VIGIL_AUDIT_SPOOL_PATH: path.join(dir, 'audit-spool.jsonl'),
  };
  await execFileAsync(PYTHON, ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: DJANGO_DIR, env });
  await execFileAsync(PYTHON, ['manage.py', 'seed_demo'], { cwd: DJANGO_DIR, env });
  const args = ['-m', 'gunicorn', '--chdir', DJANGO_DIR, '-c', path.join(DJANGO_DIR, 'gunicorn.conf.py')];
  const { child, output } = run('gunicorn', PYTHON, [...args, 'profile_site.wsgi'], repoRoot(), env);
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilReady('gunicorn (django-profile)', `${url}/health/readiness`, child, output);
  return { url, port: options.port, output, stop: () => stopChild(child) };
}

/** The example FastAPI app under uvicorn. */
export async function startFastapiCatalog(port: number): Promise<AppProcess> {
  const args = ['-m', 'uvicorn', 'catalog:app', '--app-dir', FASTAPI_DIR, '--host', '127.0.0.1'];
  const { child, output } = run('uvicorn', PYTHON, [...args, '--port', String(port)], FASTAPI_DIR, baseEnv());
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady('uvicorn (fastapi-catalog)', `${url}/health/readiness`, child, output);
  return { url, port, output, stop: () => stopChild(child) };
}

/**
 * Copies of the shipped rule files (k8s/base/prometheus-rules/*.yaml) with every `for:` shortened to
 * TEST_RULE_FOR, so a condition the seeds want held for 5 minutes fires within seconds. The expressions, their
 * thresholds and their [5m] windows (which cover the whole short run) are the shipped ones, unchanged.
 */
export function shortenedRuleFiles(dir: string): string[] {
  return fs
    .readdirSync(RULES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => {
      const text = fs.readFileSync(path.join(RULES_DIR, file), 'utf8');
      const target = path.join(dir, file);
      fs.writeFileSync(target, text.replace(/^(\s+)for: \S+\s*$/gm, `$1for: ${TEST_RULE_FOR}`));
      return target;
    });
}

export interface PrometheusOptions {
  port: number;
  /** job name → host:port, scraped every second at /metrics. */
  jobs: Record<string, string>;
  /** Vigil's alerting (host:port) and a key with scope alerts:write: Prometheus' Alertmanager. */
  alertmanager: { host: string; apiKey: string };
}

export interface PrometheusProcess {
  url: string;
  /** Instant query (at `atMs`, default now); the result vector. */
  query(expr: string, atMs?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** A real Prometheus (Debian 2.42) with 1 s scrape and evaluation, the shortened shipped rules, alerting as Alertmanager. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusProcess> {
  const dir = tempDir('vigil-e2e-prometheus-');
  const rules = shortenedRuleFiles(dir);
  const scrapes = Object.entries(options.jobs).map(
    ([job, target]) => `  - job_name: ${job}\n    static_configs: [{ targets: ['${target}'] }]\n`,
  );
  // As docker/prometheus/prometheus.yml does: alerting's /api/v2/alerts, with a bearer key.
  const config = `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [${rules.map((r) => JSON.stringify(r)).join(', ')}]
alerting:
  alertmanagers:
    - api_version: v2
      authorization:
        credentials: ${options.alertmanager.apiKey}
      static_configs:
        - targets: ['${options.alertmanager.host}']
scrape_configs:
${scrapes.join('')}`;
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const { child, output } = run(
    'prometheus',
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--log.level=warn',
      // The first send can come before the Alertmanager is discovered (then it is dropped): re-send soon.
      '--rules.alert.resend-delay=1s',
    ],
    dir,
    baseEnv(),
  );
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilReady('prometheus', `${url}/-/ready`, child, output);
  return {
    url,
    async query(expr, atMs) {
      const at = atMs === undefined ? '' : `&time=${atMs / 1000}`;
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success' || !body.data)
        throw new Error(`query ${expr}: ${body.error ?? res.status}`);
      return body.data.result;
    },
    stop: () => stopChild(child),
  };
}

export interface Traffic {
  sent(): { total: number; failed: number };
  stop(): Promise<void>;
}

/**
 * Requests `path` in a loop (about `perSecond` a second), asking for a 500 (`?fail=1`) on `failPer100` of
 * every 100, evenly spread; personal data planted in the query string (`plant`) rides along on every request.
 */
export function startTraffic(
  base: string,
  requestPath: string,
  failPer100: number,
  perSecond: number,
  plant = '',
): Traffic {
  let running = true;
  let total = 0;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      // Exactly failPer100 of every 100 requests, spread out (Bresenham-style).
      const fail = Math.floor(((total + 1) * failPer100) / 100) > Math.floor((total * failPer100) / 100);
      const query = [fail ? 'fail=1' : '', plant].filter(Boolean).join('&');
      await fetch(`${base}${requestPath}${query ? `?${query}` : ''}`)
        .then((res) => res.arrayBuffer())
        .catch(() => undefined);
      total++;
      if (fail) failed++;
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    }
  })();
  return {
    sent: () => ({ total, failed }),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** A browser's session on the Django site: cookies, CSRF token from the csrftoken cookie, manual redirects. */
export class DjangoSession {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async get(requestPath: string): Promise<{ status: number; text: string; location: string | null }> {
    return this.send(requestPath, { method: 'GET' });
  }

  /** POSTs a form with the CSRF token Django set in the csrftoken cookie (GET a page with a form first). */
  async postForm(requestPath: string, fields: Record<string, string>) {
    const token = this.cookies.get('csrftoken');
    if (!token) throw new Error(`no csrftoken cookie yet: GET a page with a form before POST ${requestPath}`);
    const body = new URLSearchParams({ ...fields, csrfmiddlewaretoken: token });
    return this.send(requestPath, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `${this.base}${requestPath}` },
      body: body.toString(),
    });
  }

  /** Signs in through Django's admin login form; throws unless Django answers with the redirect of a success. */
  async logInToAdmin(username: string, password: string): Promise<void> {
    await this.get('/admin/login/?next=/admin/');
    const res = await this.postForm('/admin/login/?next=/admin/', { username, password, next: '/admin/' });
    if (res.status !== 302 || !this.cookies.has('sessionid'))
      throw new Error(`admin login failed: ${res.status} ${res.text.slice(0, 300)}`);
  }

  private async send(requestPath: string, init: RequestInit) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = {
      ...(init.headers as Record<string, string> | undefined),
      ...(cookie ? { cookie } : {}),
    };
    const res = await fetch(`${this.base}${requestPath}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
};
const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (e) => ENTITIES[e]);

/** The values a browser would submit from a Django admin change form: inputs, checked boxes, textareas, selects. */
export function adminFormValues(html: string): Record<string, string> {
  const form = /<form[^>]*id="\w+_form"[\s\S]*?<\/form>/.exec(html)?.[0] ?? html;
  const values: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(tag)?.[1];
    const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? 'text';
    if (!name || name === 'csrfmiddlewaretoken' || type === 'submit') continue;
    if (type === 'checkbox') {
      if (/\bchecked\b/.test(tag)) values[name] = 'on';
      continue;
    }
    values[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const [, name, text] of form.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    values[name] = unescapeHtml(text.replace(/^\r?\n/, ''));
  for (const [, name, options] of form.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)"[^>]*\bselected\b/.exec(options)?.[1];
    if (selected !== undefined) values[name] = unescapeHtml(selected);
  }
  return values;
}
