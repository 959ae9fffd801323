// The table `npm start` prints once everything is up (tools/dev/start.mjs). It names where each secret
// lives instead of printing it: a terminal's scrollback, a screen share or a pasted log must not carry the
// Postgres password.

/**
 * The banner's lines: one row per address, aligned in columns.
 * @param {object} setup
 * @param {{name: string, port: number, signIn?: string}[]} setup.services the services started (none with
 *   --infra-only); one with `signIn` (the console) shows how to sign in instead of its probe URLs
 * @param {{nats: number, natsMonitor: number, postgres: number, smtp: number, mailUi: number, inbox: number}} setup.ports
 * @param {string[]} setup.databases the Postgres databases, one per service
 * @param {string} setup.passwordFile where the Postgres password is kept (a path relative to the repository)
 * @param {{name: string, port: number, passwordFile: string}[]} [setup.examples] example apps (examples/) started
 * @param {{project: string, dsn: string, usedBy: string}[]} [setup.dsns] Sentry DSNs of the errors service's projects
 * @returns {string[]}
 */
export function startBanner({ services, ports, databases, passwordFile, examples = [], dsns = [] }) {
  const rows = services.map((s) => {
    const base = `http://127.0.0.1:${s.port}`;
    return [s.name, base, s.signIn ?? `${base}/health/detailed  ${base}/metrics`];
  });
  for (const app of examples) {
    const base = `http://127.0.0.1:${app.port}`;
    rows.push([
      app.name,
      `${base}/u/rahim/`,
      `admin ${base}/admin/ (user admin, password in ${app.passwordFile})`,
    ]);
  }
  // DSN keys are public (SDKs and browsers ship them), so the DSN itself is printed, ready to paste.
  for (const { project, dsn, usedBy } of dsns) rows.push([`DSN ${project}`, dsn, usedBy]);
  rows.push(['mail inbox', `http://127.0.0.1:${ports.mailUi}`, `SMTP smtp://127.0.0.1:${ports.smtp}`]);
  rows.push([
    'webhook inbox',
    `http://127.0.0.1:${ports.inbox}`,
    'alerts are POSTed to /alerts; GET / lists them',
  ]);
  rows.push(['NATS', `nats://127.0.0.1:${ports.nats}`, `monitoring http://127.0.0.1:${ports.natsMonitor}`]);
  rows.push([
    'Postgres',
    `postgres://postgres@127.0.0.1:${ports.postgres}/postgres`,
    `password in ${passwordFile}; databases ${databases.join(', ')}`,
  ]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}
