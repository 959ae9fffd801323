// A deterministic, realistic mix of pino log lines and audit events (about half carry personal data or secrets).

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (max) => Math.floor(random() * max);
const uuid = () => {
  const hex = () => int(16).toString(16);
  const part = (n) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
};

const NAMES = ['rahim', 'karim', 'nusrat', 'tanvir', 'farhana', 'ayesha', 'sakib', 'mitu'];
const PATHS = [
  '/api/v1/orders',
  '/api/v1/users/1001/profile',
  '/api/v2/alerts',
  '/health/readiness',
  '/checkout/pay',
];
const MESSAGES = [
  'request completed',
  'order created',
  'payment authorized',
  'cache miss for key product:1234',
  'retrying upstream call in 250 ms',
  'user signed in',
  'job finished in 1532 ms',
];
const ACTIONS = [
  'privacy.settings.updated',
  'admin.profile.viewed',
  'admin.bulk_action.executed',
  'admin.economy_field.changed',
  'wallet.settings.viewed',
];

/** Values planted in the corpus that a value scanner must remove (fast-redact's paths cannot see most). */
export const planted = [];
const plant = (value) => {
  planted.push(value);
  return value;
};

function email() {
  return plant(`${pick(NAMES)}.${int(1000)}@example.com`);
}
function phone() {
  return plant(`+88017${String(10_000_000 + int(89_999_999))}`);
}
function ip() {
  return plant(`203.0.113.${1 + int(250)}`);
}

function logLine() {
  const withPii = random() < 0.5;
  const status = pick([200, 200, 200, 201, 204, 400, 404, 500]);
  const line = {
    level: pick(['info', 'info', 'info', 'warn', 'error']),
    timestamp: new Date(1_736_150_400_000 + int(86_400_000)).toISOString(),
    service: pick(['audit', 'alerting', 'health', 'reporting', 'shop']),
    environment: 'production',
    request_id: uuid(),
    trace_id: uuid().replace(/-/g, ''),
    message: pick(MESSAGES),
    req: {
      method: pick(['GET', 'POST', 'PUT']),
      url: `${pick(PATHS)}?page=${int(20)}&limit=50`,
      headers: {
        host: 'shop.example.com',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36',
        accept: 'application/json',
        authorization: plant(`Bearer ${uuid().replace(/-/g, '')}`),
      },
    },
    res: { status_code: status },
    response_time_ms: int(900),
    user: { id: `u-${int(100_000)}`, username: pick(NAMES) },
  };
  if (withPii) {
    line.message = pick([
      `password reset mail sent to ${email()}`,
      `sms to ${phone()} failed: timeout`,
      `login from ${ip()} for ${pick(NAMES)}`,
      `upstream https://svc:${plant('s3cr3t-pw')}@payments.internal/charge returned ${status}`,
    ]);
    line.user.email = plant(email());
    line.body = { password: plant(`pw-${int(1e6)}`), remember_me: true };
  }
  return line;
}

function auditEvent() {
  const withPii = random() < 0.5;
  const event = {
    id: uuid(),
    occurred_at: new Date(1_736_150_400_000 + int(86_400_000)).toISOString(),
    source: pick(['shop', 'wallet', 'admin']),
    tenant_id: `t-${int(50)}`,
    actor: { type: pick(['user', 'admin', 'service']), id: `u-${int(100_000)}` },
    action: pick(ACTIONS),
    resource: { type: pick(['user', 'order', 'wallet']), id: String(100_000 + int(900_000)) },
    outcome: pick(['success', 'success', 'failure', 'denied']),
    changes: {
      limit: { before: int(5000), after: int(5000) },
      currency: { before: 'BDT', after: 'BDT' },
    },
    metadata: {
      view: pick(['UserDetailView', 'WalletSettingsView', 'OrderListView']),
      path: pick(PATHS),
      count: int(500),
      amount: `${int(10_000)}.${int(100)}`,
    },
    request_id: uuid(),
    trace_id: uuid().replace(/-/g, ''),
  };
  if (withPii) {
    event.actor.ip = ip();
    event.metadata.customer_email = plant(email());
    event.metadata.bkash_number = plant(`017${String(10_000_000 + int(89_999_999))}`);
    event.metadata.note = `customer asked to call ${phone()} or mail ${email()}`;
    event.changes.emergency_contact = { before: null, after: plant(`${pick(NAMES)} ${phone()}`) };
  }
  return event;
}

/** `count` objects, half log lines and half audit events, built the same way on every run. */
export function buildCorpus(count) {
  seed = 42;
  planted.length = 0;
  const objects = [];
  for (let i = 0; i < count; i++) objects.push(i % 2 === 0 ? logLine() : auditEvent());
  return objects;
}
