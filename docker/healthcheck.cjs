// Container healthcheck: GET a probe URL and exit 0 on a 2xx answer, 1 otherwise (timeouts included).
//   node healthcheck.cjs                      -> http://127.0.0.1:$PORT/health/liveness
//   node healthcheck.cjs http://host:port/p   -> that URL
// Without PORT the default port of the service named by VIGIL_APP (set in the image) is used.
// deploy/test/compose.spec.ts checks DEFAULT_PORTS and LIVENESS_PATH against @vigil/platform.
'use strict';

const DEFAULT_PORTS = {
  health: 3001,
  audit: 3002,
  alerting: 3003,
  reporting: 3004,
  errors: 3005,
  console: 3000,
};
const LIVENESS_PATH = '/health/liveness';
const TIMEOUT_MS = 2500;

function defaultUrl(env) {
  const port = env.PORT || DEFAULT_PORTS[env.VIGIL_APP];
  if (!port)
    throw new Error('healthcheck: set PORT or VIGIL_APP (health|audit|alerting|reporting|errors|console)');
  return `http://127.0.0.1:${port}${LIVENESS_PATH}`;
}

async function check(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}

if (require.main === module) {
  let url;
  try {
    url = process.argv[2] || defaultUrl(process.env);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  check(url).then((ok) => {
    if (!ok) process.stderr.write(`healthcheck: ${url} is not healthy\n`);
    process.exit(ok ? 0 : 1);
  });
}

module.exports = { DEFAULT_PORTS, LIVENESS_PATH, defaultUrl, check };
