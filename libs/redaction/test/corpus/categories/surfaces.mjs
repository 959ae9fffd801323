// Surface categories: the same kinds of values as they reach us through the shapes apps really write (JSON inside
// strings, logfmt, Python repr, SQL, URL-encoding, base64, headers, cookies, curl, e-mail, multilingual keys,
// webhooks, configs, audit changes, tracebacks, user paths).
import {
  alnum,
  b64url,
  bdMobile,
  card,
  dateOnly,
  digits,
  email,
  epoch,
  groupCard,
  hex,
  iban,
  int,
  invoiceNo,
  ipv4,
  isoTime,
  lowerAlnum,
  orderNo,
  password,
  person,
  pick,
  price,
  sha1,
  spanId,
  traceId,
  uuid,
} from '../values.mjs';
import { c } from './entities.mjs';
import { jwt } from './secrets.mjs';

const b64 = (text) => Buffer.from(text).toString('base64');
const b64u = (text) => Buffer.from(text).toString('base64url');
const pbkdf2 = () => `pbkdf2_sha256$260000$${alnum(22)}$${b64url(43).replace(/[-_]/g, 'A')}=`;

export const surfaceCategories = {
  'json-nested': {
    surface: 'JSON objects and arrays several levels deep',
    anchor: 'Sentry Relay field scrubbing at any depth',
    pos: [
      () => {
        const e = email();
        const r = uuid();
        return c({ request_id: r, data: { user: { profile: { contact: { email: e } } } } }, [e], [r]);
      },
      () => {
        const p = password();
        return c(
          { batch: [{ op: 'create', payload: { username: 'tanvir', password: p } }] },
          [p],
          ['tanvir', 'create'],
        );
      },
      () => {
        const n = card('4');
        const o = orderNo();
        return c({ order: { id: o, payments: [{ method: 'card', details: { number: n } }] } }, [n], [o]);
      },
      () => {
        const ph = `+88${bdMobile()}`;
        return c(
          { items: [{ sku: 'TSHIRT-L', qty: 2 }], shipping: { address: { phone: ph, city: 'Khulna' } } },
          [ph],
          ['TSHIRT-L', 'Khulna'],
        );
      },
      () => {
        const t = jwt();
        const s = spanId();
        return c(
          { span_id: s, attributes: { 'http.request.header.authorization': [`Bearer ${t}`] } },
          [t],
          [s],
        );
      },
      () => {
        const ip = ipv4();
        const e = email();
        return c(
          {
            events: [
              { type: 'login', ctx: { ip, email: e } },
              { type: 'logout', ctx: { ip } },
            ],
          },
          [ip, e],
          ['login', 'logout'],
        );
      },
      () => {
        const e = email();
        return c(
          [
            { id: 1, contact: e },
            { id: 2, contact: null },
          ],
          [e],
          [],
        );
      },
      () => {
        const k = `sk_live_${alnum(24)}`;
        return c(
          { integrations: { stripe: { enabled: true, secret: k }, slack: { enabled: false } } },
          [k],
          [],
        );
      },
      () => {
        const p = person();
        const d = dateOnly(1960, 2002);
        return c({ patient: { name: p, date_of_birth: d, ward: 'B-12' } }, [p, d], ['B-12']);
      },
      () => {
        const ph = `+1 415 ${int(200, 999)} ${digits(4)}`;
        const o = orderNo();
        return c({ meta: { deep: { deeper: { deepest: { note: `call ${ph} re ${o}` } } } } }, [ph], [o]);
      },
    ],
    neg: [
      () => {
        const r = uuid();
        const o = orderNo();
        return c(
          { request_id: r, order: { id: o, total: price(), items: [{ sku: 'MUG-01', qty: 1 }] } },
          [],
          [r, o, 'MUG-01'],
        );
      },
      () => {
        const t = traceId();
        return c(
          { trace: { trace_id: t, spans: [{ name: 'GET /products', duration_ms: 42 }] } },
          [],
          [t, 'GET /products'],
        );
      },
      () => {
        const d = isoTime();
        return c({ meta: { created_at: d, version: 3, flags: ['beta', 'dark-mode'] } }, [], [d, 'dark-mode']);
      },
      () =>
        c(
          { pagination: { page: 3, per_page: 50, total: 1342, next: '/api/v1/orders?page=4' } },
          [],
          ['1342', '/api/v1/orders?page=4'],
        ),
      () => c({ health: { db: 'up', cache: 'up', queue: { depth: 17, lag_ms: 230 } } }, [], ['230']),
      () => {
        const v = sha1();
        return c({ build: { commit: v, branch: 'main', ci: { run: 8123 } } }, [], [v, '8123']);
      },
      () =>
        c(
          { feature_flags: { new_checkout: true, bkash_tokenized: true, rollout_percent: 25 } },
          [],
          ['bkash_tokenized', '25'],
        ),
      () => {
        const u = uuid();
        return c(
          [
            { id: u, status: 'shipped' },
            { id: `${u.slice(0, 30)}aaaaaa`, status: 'pending' },
          ],
          [],
          [u],
        );
      },
      () =>
        c(
          { geo: { country: 'BD', division: 'Dhaka', currency: 'BDT', tz: 'Asia/Dhaka' } },
          [],
          ['Asia/Dhaka'],
        ),
      () => c({ metrics: { p50: 12.5, p95: 88.1, p99: 240.7, rps: 1530 } }, [], ['88.1', '240.7']),
    ],
  },
  'json-in-strings': {
    surface: 'JSON encoded inside string fields, escaped once or twice',
    anchor: 'issue 16: nested JSON-in-strings; Sentry Relay parses JSON bodies',
    pos: [
      () => {
        const p = password();
        return c({ body: JSON.stringify({ email: 'x', password: p }).replace('"x"', '"login"') }, [p], []);
      },
      () => {
        const e = email();
        const r = uuid();
        return c(
          {
            message: `request failed: ${JSON.stringify({ status: 422, detail: { email: e } })}`,
            request_id: r,
          },
          [e],
          [r, '422'],
        );
      },
      () => {
        const t = jwt();
        return c({ payload: JSON.stringify(JSON.stringify({ access_token: t })) }, [t], []);
      },
      () => {
        const n = card('51');
        return c(
          `upstream body: ${JSON.stringify(JSON.stringify({ card: { number: n } }))}`,
          [n],
          ['upstream body'],
        );
      },
      () => {
        const ph = bdMobile();
        const o = orderNo();
        return c({ data: JSON.stringify({ order: o, customer: { mobile: ph } }) }, [ph], [o]);
      },
      () => {
        const k = `sk_live_${alnum(24)}`;
        return c({ config: JSON.stringify({ stripe: { secret_key: k }, currency: 'bdt' }) }, [k], ['bdt']);
      },
      () => {
        const e = email();
        return c(
          `{"level":"error","msg":"webhook","body":"{\\"customer_email\\":\\"${e}\\",\\"amount\\":1200}"}`,
          [e],
          ['1200'],
        );
      },
      () => {
        const p = password();
        return c({ args: [JSON.stringify({ user: 'ayesha', pass: p })] }, [p], ['ayesha']);
      },
      () => {
        const ip = ipv4();
        return c({ extra: JSON.stringify({ remote_addr: ip, path: '/wallet' }) }, [ip], ['/wallet']);
      },
      () => {
        const s = `${alnum(32)}`;
        return c({ response: `HTTP 200 ${JSON.stringify({ token: s, expires_in: 900 })}` }, [s], ['900']);
      },
    ],
    neg: [
      () => {
        const s = JSON.stringify({ order: orderNo(), status: 'paid', total: price() });
        return c({ body: s }, [], [s]);
      },
      () => {
        const s = JSON.stringify(JSON.stringify({ event: 'page_view', path: '/products/42' }));
        return c({ payload: s }, [], ['page_view', '/products/42']);
      },
      () => {
        const s = JSON.stringify({ trace_id: traceId(), retry: 2 });
        return c(`meta=${s}`, [], [s]);
      },
      () => {
        const s = JSON.stringify({ version: '2.4.1', build: sha1() });
        return c({ info: s }, [], [s]);
      },
      () => c({ json: '{"a":1,"b":[1,2,3],"c":{"d":null}}' }, [], ['{"a":1,"b":[1,2,3],"c":{"d":null}}']),
      () => {
        const s = JSON.stringify({ items: 3, subtotal: '1200.00', currency: 'BDT' });
        return c(`cart ${s}`, [], [s]);
      },
      () =>
        c(
          {
            schema:
              '{"type":"object","properties":{"quantity":{"type":"integer","minimum":1}},"required":["quantity"]}',
          },
          [],
          ['"minimum":1'],
        ),
      () => {
        const s = JSON.stringify({ id: uuid(), created_at: isoTime() });
        return c({ raw: s }, [], [s]);
      },
      () => c({ text: 'not json: {broken "key": }' }, [], ['not json: {broken "key": }']),
      () => {
        const s = JSON.stringify({ email_verified: true, phone_verified: false });
        return c({ flags: s }, [], [s]);
      },
    ],
  },
  'logfmt-key-value': {
    surface: 'logfmt and key=value log lines (Go, Heroku router, gunicorn, nginx)',
    anchor: 'issue 16: key=value surfaces; detect-secrets KeywordDetector',
    pos: [
      () => {
        const p = password();
        return c(
          `level=info msg="login attempt" user=rahim password=${p} ip=127.0.0.1`,
          [p],
          ['msg="login attempt"', 'ip=127.0.0.1'],
        );
      },
      () => {
        const t = alnum(32);
        const r = uuid();
        return c(
          `at=info method=GET path="/api/orders" request_id=${r} api_key=${t} status=200 service=12ms`,
          [t],
          [r, 'status=200', 'service=12ms'],
        );
      },
      () => {
        const e = email();
        return c(`ts=${isoTime()} level=warn event=password_reset email=${e}`, [e], ['event=password_reset']);
      },
      () => {
        const ph = bdMobile();
        return c(
          `sms.send to=${ph} provider=ssl-wireless status=failed code=1011`,
          [ph],
          ['provider=ssl-wireless', 'code=1011'],
        );
      },
      () => {
        const t = `ghp_${alnum(36)}`;
        return c(`deploy step=clone token="${t}" repo=acme/shop`, [t], ['repo=acme/shop']);
      },
      () => {
        const s = alnum(40);
        return c(
          `client_secret='${s}' grant_type=client_credentials`,
          [s],
          ['grant_type=client_credentials'],
        );
      },
      () => {
        const ip = ipv4();
        return c(`remote_addr=${ip} method=POST uri=/checkout status=302 bytes=0`, [ip], ['uri=/checkout']);
      },
      () => {
        const p = alnum(16);
        return c(`DB_PASSWORD=${p} DB_HOST=db DB_PORT=5432`, [p], ['DB_HOST=db']);
      },
      () => {
        const n = card('4');
        return c(`payment.attempt card=${n} amount=1299 currency=BDT`, [n], ['amount=1299']);
      },
      () => {
        const s = lowerAlnum(32);
        return c(`session_id=${s} user_id=8812 path=/profile`, [s], ['user_id=8812']);
      },
    ],
    neg: [
      () => {
        const r = uuid();
        return c(
          `level=info msg="request completed" request_id=${r} status=200 duration_ms=41`,
          [],
          [r, 'duration_ms=41'],
        );
      },
      () =>
        c(
          'at=info method=GET path="/health" host=shop.herokuapp.com dyno=web.1 connect=0ms service=3ms status=200 bytes=120',
          [],
          ['host=shop.herokuapp.com', 'dyno=web.1'],
        ),
      () => {
        const t = traceId();
        return c(`trace_id=${t} span_id=${spanId()} sampled=true`, [], [t]);
      },
      () =>
        c(
          'token_type=bearer expires_in=3600 scope="read write"',
          [],
          ['token_type=bearer', 'expires_in=3600'],
        ),
      () => {
        const o = orderNo();
        return c(`order=${o} total=${price()} currency=BDT items=3`, [], [o, 'items=3']);
      },
      () =>
        c(
          'password_policy=strong min_length=12 require_digit=true',
          [],
          ['password_policy=strong', 'min_length=12'],
        ),
      () => {
        const v = sha1();
        return c(`version=2.8.1 commit=${v} built_at=${isoTime()}`, [], [v, 'version=2.8.1']);
      },
      () => c('worker=celery@w1 task=send_receipt retries=2 eta=30s', [], ['task=send_receipt', 'eta=30s']),
      () => c('cache hit=true key=product:1234:price ttl=300', [], ['key=product:1234:price']),
      () => c('api_key_id=key_88231 api_key_last_used=2026-12-01', [], ['api_key_id=key_88231']),
    ],
  },
  'python-repr': {
    surface: 'Python repr() of dicts, dataclasses, namedtuples, QueryDict, model instances, kwargs',
    anchor: 'issue 16: Python repr surfaces (Sentry frame vars are repr strings)',
    pos: [
      () => {
        const p = password();
        const e = email();
        return c(`{'email': '${e}', 'password': '${p}', 'remember': True}`, [p, e], ['True']);
      },
      () => {
        const e = email();
        const p = password();
        return c(
          `<QueryDict: {'username': ['${e}'], 'password': ['${p}'], 'next': ['/dashboard/']}>`,
          [p, e],
          ["'/dashboard/'"],
        );
      },
      () => {
        const e = email();
        const ph = `+88${bdMobile()}`;
        return c(
          `Customer(id=4412, email='${e}', phone='${ph}', tier='gold')`,
          [e, ph],
          ['id=4412', "tier='gold'"],
        );
      },
      () => {
        const e = email();
        return c(`<User: ${e}>`, [e], ['<User:']);
      },
      () => {
        const n = card('4');
        return c(
          `PaymentRequest(amount=Decimal('1499.00'), card_number='${n}', currency='BDT')`,
          [n],
          ["Decimal('1499.00')"],
        );
      },
      () => {
        const t = alnum(40);
        return c(
          `{'headers': {'Authorization': 'Token ${t}', 'Accept': 'application/json'}}`,
          [t],
          ["'Accept': 'application/json'"],
        );
      },
      () => {
        const p = password();
        return c(
          `TypeError: __init__() got an unexpected keyword argument 'pwd' in call User(username='mitu', pwd='${p}')`,
          [p],
          ["username='mitu'"],
        );
      },
      () => {
        const s = alnum(30);
        return c(
          `Credentials(access_key='AKIA${alnum(16).toUpperCase()}', secret_key='${s}', token=None)`,
          [s],
          ['token=None'],
        );
      },
      () => {
        const e = email();
        return c(
          `[('email', '${e}'), ('csrfmiddlewaretoken', 'x'), ('plan', 'pro')]`,
          [e],
          ["('plan', 'pro')"],
        );
      },
      () => {
        const d = dateOnly(1960, 2002);
        return c(
          `Profile(user_id=91, date_of_birth=datetime.date(${d.split('-').map(Number).join(', ')}), city='Rajshahi')`,
          [`datetime.date(${d.split('-').map(Number).join(', ')})`],
          ["city='Rajshahi'"],
        );
      },
    ],
    neg: [
      () => {
        const u = uuid();
        return c(
          `{'id': UUID('${u}'), 'status': 'paid', 'total': Decimal('1200.50')}`,
          [],
          [u, "Decimal('1200.50')"],
        );
      },
      () =>
        c(
          "<QueryDict: {'page': ['2'], 'sort': ['-created'], 'q': ['shoes']}>",
          [],
          ["'sort': ['-created']", "'q': ['shoes']"],
        ),
      () => {
        const d = isoTime();
        return c(`OrderCreated(order_id=88123, created_at='${d}', items=3)`, [], [d, 'order_id=88123']);
      },
      () => c('<Order: ORD-2026-000123 (shipped)>', [], ['<Order: ORD-2026-000123 (shipped)>']),
      () =>
        c(
          'datetime.datetime(2026, 12, 7, 10, 15, 30, tzinfo=datetime.timezone.utc)',
          [],
          ['datetime.datetime(2026, 12, 7, 10, 15, 30, tzinfo=datetime.timezone.utc)'],
        ),
      () =>
        c(
          "{'password_changed': False, 'token_type': 'Bearer', 'expires_in': 3600}",
          [],
          ["'token_type': 'Bearer'", "'expires_in': 3600"],
        ),
      () =>
        c(
          "Product(sku='SHOE-42-BLK', name='Runner Pro', price=Decimal('4500.00'))",
          [],
          ["name='Runner Pro'", "Decimal('4500.00')"],
        ),
      () => c('Point(x=23.8103, y=90.4125)', [], ['Point(x=23.8103, y=90.4125)']),
      () => c('<Response [503]>', [], ['<Response [503]>']),
      () => c("namespace(debug=False, workers=4, bind='0.0.0.0:8000')", [], ["bind='0.0.0.0:8000'"]),
    ],
  },
  'sql-literals': {
    surface: 'SQL statements with literal values in logs (Django db.backends, SQLAlchemy echo, pg errors)',
    anchor: 'issue 16: SQL with literal values, positional INSERT',
    pos: [
      () => {
        const e = email();
        const h = pbkdf2();
        return c(
          `INSERT INTO "auth_user" ("password", "last_login", "is_superuser", "username", "email") VALUES ('${h}', NULL, false, 'karim', '${e}') RETURNING "auth_user"."id"`,
          [h, e],
          ['"auth_user"', 'RETURNING'],
        );
      },
      () => {
        const e = email();
        const ph = bdMobile();
        return c(
          `INSERT INTO customers VALUES (1042, '${e}', '${ph}', 'Dhaka', '2026-01-01')`,
          [e, ph],
          ["'Dhaka'", 'INSERT INTO customers VALUES (1042'],
        );
      },
      () => {
        const p = password();
        return c(`ALTER USER reporting WITH PASSWORD '${p}';`, [p], ['ALTER USER reporting']);
      },
      () => {
        const e = email();
        return c(
          `(0.002) SELECT "auth_user"."id" FROM "auth_user" WHERE "auth_user"."email" = '${e}' LIMIT 21; args=('${e}',); alias=default`,
          [e],
          ['LIMIT 21', 'alias=default'],
        );
      },
      () => {
        const n = card('4');
        return c(
          `UPDATE payments SET card_number = '${n}', status = 'captured' WHERE id = 77`,
          [n],
          ["status = 'captured'", 'WHERE id = 77'],
        );
      },
      () => {
        const ssnv = `${int(100, 665)}-${int(10, 99)}-${int(1000, 9999)}`;
        return c(
          `psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "employees_ssn_key"\nDETAIL:  Key (ssn)=(${ssnv}) already exists.`,
          [ssnv],
          ['employees_ssn_key'],
        );
      },
      () => {
        const ph = `+88${bdMobile()}`;
        return c(
          `SELECT * FROM users WHERE phone = '${ph}' AND deleted_at IS NULL`,
          [ph],
          ['deleted_at IS NULL'],
        );
      },
      () => {
        const t = alnum(40);
        return c(
          `INSERT INTO api_tokens (user_id, token, created_at) VALUES (12, '${t}', now())`,
          [t],
          ['api_tokens'],
        );
      },
      () => {
        const e = email();
        const n = person();
        return c(
          `sqlalchemy.engine.Engine INSERT INTO contacts (name, email) VALUES (%(name)s, %(email)s) [generated in 0.00021s] {'name': '${n}', 'email': '${e}'}`,
          [e, n],
          ['generated in 0.00021s'],
        );
      },
      () => {
        const ip = ipv4();
        return c(
          `INSERT INTO login_audit VALUES (DEFAULT, 55, '${ip}', '2026-12-07 10:00:00+00')`,
          [ip],
          ["'2026-12-07 10:00:00+00'"],
        );
      },
    ],
    neg: [
      () =>
        c(
          'SELECT "shop_order"."id", "shop_order"."status" FROM "shop_order" WHERE "shop_order"."id" = 4412 LIMIT 21',
          [],
          ['"shop_order"."id" = 4412'],
        ),
      () =>
        c(
          'INSERT INTO order_items (order_id, sku, qty, price) VALUES (%s, %s, %s, %s)',
          [],
          ['VALUES (%s, %s, %s, %s)'],
        ),
      () => {
        const o = orderNo();
        return c(
          `UPDATE orders SET status = 'shipped', shipped_at = now() WHERE number = '${o}'`,
          [],
          [o, "status = 'shipped'"],
        );
      },
      () =>
        c(
          "INSERT INTO products VALUES (42, 'Runner Pro', 4500.00, 'SHOE-42-BLK', true)",
          [],
          ["'Runner Pro'", "'SHOE-42-BLK'", '4500.00'],
        ),
      () => c('CREATE INDEX CONCURRENTLY idx_users_email ON users (email)', [], ['idx_users_email']),
      () =>
        c(
          "SELECT count(*) FROM sessions WHERE expire_date < '2026-12-07 00:00:00'",
          [],
          ["'2026-12-07 00:00:00'"],
        ),
      () => {
        const u = uuid();
        return c(`DELETE FROM carts WHERE id = '${u}'`, [], [u]);
      },
      () =>
        c(
          '(0.011) SELECT "django_migrations"."app", "django_migrations"."name" FROM "django_migrations"; args=(); alias=default',
          [],
          ['"django_migrations"."app"'],
        ),
      () =>
        c(
          "UPDATE wallets SET balance = balance - 250.00 WHERE user_id = 8812 AND currency = 'BDT'",
          [],
          ['250.00', "currency = 'BDT'"],
        ),
      () =>
        c(
          'ALTER TABLE users ADD COLUMN password_changed_at timestamptz',
          [],
          ['password_changed_at timestamptz'],
        ),
    ],
  },
  'url-encoded': {
    surface: 'query strings, form bodies, percent-encoding',
    anchor: 'Sentry Relay scrubs query strings and form data by key; issue 16: URL-encoded payloads',
    pos: [
      () => {
        const p = password();
        const e = email();
        return c(
          `username=${encodeURIComponent(e)}&password=${encodeURIComponent(p)}&csrfmiddlewaretoken=abc`,
          [encodeURIComponent(p), encodeURIComponent(e)],
          ['username='],
        );
      },
      () => {
        const t = b64url(40);
        return c(`GET /oauth/callback?code=${t}&state=xyz123 302`, [t], ['/oauth/callback', 'state=xyz123']);
      },
      () => {
        const e = email();
        return c(
          { url: `https://shop.example.com/unsubscribe?email=${encodeURIComponent(e)}&list=weekly` },
          [encodeURIComponent(e)],
          ['list=weekly'],
        );
      },
      () => {
        const ph = `+88${bdMobile()}`;
        return c(
          `POST /api/otp body=phone=${encodeURIComponent(ph)}&channel=sms`,
          [encodeURIComponent(ph)],
          ['channel=sms'],
        );
      },
      () => {
        const t = alnum(32);
        return c(
          `https://api.example.com/v2/report.csv?api_key=${t}&from=2026-11-01&to=2026-11-30`,
          [t],
          ['from=2026-11-01', 'to=2026-11-30'],
        );
      },
      () => {
        const p = password();
        return c(
          `grant_type=password&username=nusrat&password=${encodeURIComponent(p)}&client_id=mobile-app`,
          [encodeURIComponent(p)],
          ['client_id=mobile-app', 'grant_type=password'],
        );
      },
      () => {
        const t = jwt();
        return c(
          `https://app.example.com/reset?next=%2Faccount%3Ftoken%3D${encodeURIComponent(t)}`,
          [t],
          ['https://app.example.com/reset'],
        );
      },
      () => {
        const n = card('4');
        return c(`card_number=${n}&exp=12%2F29&amount=500`, [n], ['amount=500']);
      },
      () => {
        const e = email();
        return c(`q=${encodeURIComponent(`from:${e} invoice`)}&page=1`, [encodeURIComponent(e)], ['page=1']);
      },
      () => {
        const s = lowerAlnum(32);
        return c({ referer: `https://shop.example.com/checkout?session_id=${s}&step=2` }, [s], ['step=2']);
      },
    ],
    neg: [
      () =>
        c(
          'GET /products?category=shoes&size=42&sort=price_asc&page=3',
          [],
          ['category=shoes', 'sort=price_asc'],
        ),
      () =>
        c(
          'utm_source=facebook&utm_medium=cpc&utm_campaign=eid_sale_2026',
          [],
          ['utm_campaign=eid_sale_2026'],
        ),
      () => c({ url: 'https://shop.example.com/search?q=red%20saree&lang=bn' }, [], ['q=red%20saree']),
      () =>
        c(
          'redirect_uri=https%3A%2F%2Fshop.example.com%2Fcallback&response_type=code&scope=openid',
          [],
          ['redirect_uri=https%3A%2F%2Fshop.example.com%2Fcallback'],
        ),
      () => {
        const o = orderNo();
        return c(`/orders/${o}/track?carrier=pathao`, [], [o, 'carrier=pathao']);
      },
      () => c('token_type=Bearer&expires_in=3600', [], ['token_type=Bearer&expires_in=3600']),
      () => {
        const r = uuid();
        return c(`/api/v1/uploads?id=${r}&part=3&of=10`, [], [r]);
      },
      () => c('filter%5Bstatus%5D=paid&filter%5Bcurrency%5D=BDT', [], ['filter%5Bstatus%5D=paid']),
      () => c('from=2026-01-01&to=2026-12-31&granularity=day', [], ['from=2026-01-01&to=2026-12-31']),
      () => c('password_reset=1&email_sent=true', [], ['password_reset=1&email_sent=true']),
    ],
  },
  'base64-payloads': {
    surface: 'base64 and base64url payloads (pub/sub messages, cursors, state params, k8s secrets)',
    anchor: 'issue 16: base64/base64url payloads decoded, scanned, re-encoded',
    pos: [
      () => {
        const p = password();
        const v = b64(JSON.stringify({ username: 'sakib', password: p }));
        return c({ message: { data: v, messageId: digits(16) } }, [v], []);
      },
      () => {
        const e = email();
        const v = b64u(JSON.stringify({ email: e, redirect: '/home' }));
        return c(`GET /login?state=${v}`, [v], ['/login?state=']);
      },
      () => {
        const p = alnum(20);
        const v = b64(p);
        return c(
          `apiVersion: v1\nkind: Secret\ndata:\n  DB_PASSWORD: ${v}\n  DB_USER: ${b64('shop')}`,
          [v],
          ['kind: Secret', b64('shop')],
        );
      },
      () => {
        const n = card('4');
        const v = b64(JSON.stringify({ pan: n, exp: '12/29' }));
        return c({ encrypted: false, blob: v }, [v], []);
      },
      () => {
        const ph = bdMobile();
        const v = b64u(JSON.stringify({ msisdn: ph, otp_sent: true }));
        return c({ cursor: v }, [v], []);
      },
      () => {
        const k = `sk_live_${alnum(24)}`;
        const v = b64(`${k}:`);
        return c(`Authorization header value decoded from ${v}`, [v], []);
      },
      () => {
        const e = email();
        const v = b64(`{"user":{"email":"${e}"}}`);
        return c({ pubsub: { data: v, attributes: { type: 'user.created' } } }, [v], ['user.created']);
      },
      () => {
        const t = alnum(32);
        const v = b64(`token=${t}`);
        return c(`X-Payload: ${v}`, [v], ['X-Payload']);
      },
    ],
    neg: [
      () => {
        const v = b64(JSON.stringify({ id: 1234, created: '2026-12-01' }));
        return c({ next_cursor: v }, [], [v]);
      },
      () => {
        const v = `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk${alnum(8)}AAAAABJRU5ErkJggg==`;
        return c({ avatar: v }, [], [v]);
      },
      () => {
        const v = b64u(JSON.stringify({ page: 3, sort: 'created' }));
        return c(`GET /api/items?cursor=${v}`, [], [v]);
      },
      () => {
        const v = b64(JSON.stringify({ event: 'order.shipped', order: orderNo() }));
        return c({ message: { data: v } }, [], [v]);
      },
      () => {
        const v = b64('shop');
        return c({ data: { DB_USER: v, DB_NAME: b64('orders') } }, [], [v, b64('orders')]);
      },
      () => {
        const v = b64(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
        return c(`header=${v}`, [], [v]);
      },
      () => {
        const v = `${b64url(22)}`;
        return c({ etag: `W/"${v}"` }, [], [v]);
      },
      () => {
        const v = b64(`{"trace_id":"${traceId()}"}`);
        return c({ baggage: v }, [], [v]);
      },
    ],
  },
  'http-headers-raw': {
    surface: 'raw HTTP request and response dumps',
    anchor: 'Sentry Relay default headers scrubbing (Authorization, Cookie, X-Api-Key, ...)',
    pos: [
      () => {
        const t = jwt();
        const r = uuid();
        return c(
          `POST /api/v1/orders HTTP/1.1\nHost: shop.example.com\nAuthorization: Bearer ${t}\nContent-Type: application/json\nX-Request-Id: ${r}`,
          [t],
          ['Host: shop.example.com', r],
        );
      },
      () => {
        const s = lowerAlnum(32);
        return c(
          `GET /account HTTP/1.1\nHost: shop.example.com\nCookie: sessionid=${s}; theme=dark\nAccept-Language: bn-BD,bn;q=0.9`,
          [s],
          ['theme=dark', 'Accept-Language: bn-BD,bn;q=0.9'],
        );
      },
      () => {
        const k = alnum(32);
        return c(
          `x-api-key: ${k}\nuser-agent: python-requests/2.28.1\naccept: */*`,
          [k],
          ['python-requests/2.28.1'],
        );
      },
      () => {
        const ip = ipv4();
        return c(`X-Forwarded-For: ${ip}\nX-Real-IP: ${ip}\nVia: 1.1 varnish`, [ip], ['Via: 1.1 varnish']);
      },
      () => {
        const up = b64(`admin:${password()}`);
        return c(
          `GET /admin/ HTTP/1.1\nAuthorization: Basic ${up}\nHost: ops.internal`,
          [up],
          ['Host: ops.internal'],
        );
      },
      () => {
        const s = lowerAlnum(32);
        return c(
          `HTTP/1.1 200 OK\nSet-Cookie: sessionid=${s}; expires=Mon, 21 Dec 2026 10:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax\nContent-Length: 512`,
          [s],
          ['HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax', 'Content-Length: 512'],
        );
      },
      () => {
        const t = `${b64url(300)}`;
        return c(
          `X-Amz-Security-Token: ${t}\nX-Amz-Date: 20261207T101500Z`,
          [t],
          ['X-Amz-Date: 20261207T101500Z'],
        );
      },
      () => {
        const t = alnum(40);
        return c(
          `PROXY-AUTHORIZATION: Bearer ${t}\r\nHOST: api.example.com\r\n`,
          [t],
          ['HOST: api.example.com'],
        );
      },
      () => {
        const e = email();
        return c(`From: ${e}\nUser-Agent: Googlebot/2.1`, [e], ['Googlebot/2.1']);
      },
      () => {
        const t = alnum(36);
        return c(
          `X-Shopify-Access-Token: shpat_${t.slice(0, 32)}\nX-Shopify-Shop-Domain: acme.myshopify.com`,
          [t.slice(0, 32)],
          ['acme.myshopify.com'],
        );
      },
    ],
    neg: [
      () => {
        const r = uuid();
        return c(
          `GET /health HTTP/1.1\nHost: shop.example.com\nX-Request-Id: ${r}\nAccept: application/json`,
          [],
          [r, 'Host: shop.example.com'],
        );
      },
      () => {
        const t = `00-${traceId()}-${spanId()}-01`;
        return c(`traceparent: ${t}\ntracestate: vendor=abc`, [], [t]);
      },
      () =>
        c(
          'HTTP/1.1 304 Not Modified\nETag: "33a64df551425fcc55e4d42a148795d9f25f89d4"\nCache-Control: max-age=3600',
          [],
          ['"33a64df551425fcc55e4d42a148795d9f25f89d4"', 'max-age=3600'],
        ),
      () =>
        c(
          'Content-Type: multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW',
          [],
          ['----WebKitFormBoundary7MA4YWxkTrZu0gW'],
        ),
      () =>
        c(
          'WWW-Authenticate: Basic realm="Restricted"\nContent-Length: 0',
          [],
          ['WWW-Authenticate: Basic realm="Restricted"'],
        ),
      () =>
        c(
          'Strict-Transport-Security: max-age=31536000; includeSubDomains; preload',
          [],
          ['max-age=31536000; includeSubDomains; preload'],
        ),
      () =>
        c(
          'Accept-Encoding: gzip, deflate, br\nConnection: keep-alive\nSec-Fetch-Mode: cors',
          [],
          ['gzip, deflate, br', 'Sec-Fetch-Mode: cors'],
        ),
      () =>
        c(
          'Access-Control-Allow-Headers: Authorization, Content-Type, X-Api-Key',
          [],
          ['Authorization, Content-Type, X-Api-Key'],
        ),
      () =>
        c(
          'X-RateLimit-Limit: 1000\nX-RateLimit-Remaining: 998\nRetry-After: 30',
          [],
          ['X-RateLimit-Remaining: 998', 'Retry-After: 30'],
        ),
      () =>
        c(
          'Server: gunicorn\nDate: Mon, 07 Dec 2026 10:15:30 GMT',
          [],
          ['Date: Mon, 07 Dec 2026 10:15:30 GMT'],
        ),
    ],
  },
  'http-headers-dict': {
    surface: 'headers as dicts in any casing (Node, requests, WSGI META, Starlette lists)',
    anchor: 'Sentry Relay default headers scrubbing; WSGI HTTP_* keys',
    pos: [
      () => {
        const t = jwt();
        return c(
          { headers: { authorization: `Bearer ${t}`, host: 'api.example.com' } },
          [t],
          ['api.example.com'],
        );
      },
      () => {
        const t = alnum(40);
        return c(
          { AUTHORIZATION: `Token ${t}`, 'CONTENT-TYPE': 'application/json' },
          [t],
          ['application/json'],
        );
      },
      () => {
        const s = lowerAlnum(32);
        return c(
          { HTTP_COOKIE: `sessionid=${s}; lang=bn`, HTTP_HOST: 'shop.example.com', REQUEST_METHOD: 'POST' },
          [s],
          ['lang=bn', 'shop.example.com'],
        );
      },
      () => {
        const t = jwt();
        return c({ HTTP_AUTHORIZATION: `Bearer ${t}`, PATH_INFO: '/api/me' }, [t], ['/api/me']);
      },
      () => {
        const k = alnum(32);
        return c({ 'X-Api-Key': k, 'X-Request-Id': uuid() }, [k], []);
      },
      () => {
        const t = alnum(40);
        return c(
          [
            ['authorization', `Bearer ${t}`],
            ['accept', '*/*'],
          ],
          [t],
          ['*/*'],
        );
      },
      () => {
        const s = lowerAlnum(32);
        return c(
          { 'set-cookie': [`sessionid=${s}; Path=/; HttpOnly`, 'theme=dark; Path=/'] },
          [s],
          ['theme=dark; Path=/'],
        );
      },
      () => {
        const k = alnum(48);
        return c({ 'x-goog-api-key': k, 'x-goog-user-project': 'shop-prod' }, [k], ['shop-prod']);
      },
      () => {
        const t = alnum(40);
        return c({ Headers: { 'X-Auth-Token': t } }, [t], []);
      },
      () => {
        const ip = ipv4();
        return c({ 'CF-Connecting-IP': ip, 'CF-Ray': `${hex(16)}-DAC` }, [ip], ['-DAC']);
      },
    ],
    neg: [
      () => {
        const r = uuid();
        return c(
          { 'x-request-id': r, 'content-type': 'application/json', 'content-length': '512' },
          [],
          [r, '512'],
        );
      },
      () => {
        const t = `00-${traceId()}-${spanId()}-01`;
        return c({ traceparent: t }, [], [t]);
      },
      () =>
        c(
          { HTTP_ACCEPT: 'text/html', HTTP_ACCEPT_LANGUAGE: 'en-US,en;q=0.9', SERVER_PORT: '8000' },
          [],
          ['en-US,en;q=0.9', '8000'],
        ),
      () =>
        c(
          {
            'User-Agent':
              'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile/15E148 Safari/604.1',
          },
          [],
          ['Version/17.1 Mobile/15E148 Safari/604.1'],
        ),
      () =>
        c({ 'cache-control': 'no-cache', pragma: 'no-cache', 'x-powered-by': 'Express' }, [], ['Express']),
      () => c({ 'x-ratelimit-remaining': '57', 'retry-after': '12' }, [], ['57', '12']),
      () =>
        c(
          [
            ['content-type', 'text/plain'],
            ['x-cache', 'HIT'],
          ],
          [],
          ['HIT'],
        ),
      () =>
        c(
          { 'access-control-allow-origin': 'https://shop.example.com', vary: 'Origin' },
          [],
          ['https://shop.example.com'],
        ),
      () =>
        c(
          { 'x-github-event': 'push', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' },
          [],
          ['72d3162e-cc78-11e3-81ab-4c9367dc0958'],
        ),
      () => c({ 'sentry-trace': `${traceId()}-${spanId()}-1` }, [], ['-1']),
    ],
  },
  cookies: {
    surface: 'Cookie and Set-Cookie values: only sensitive cookies go, attributes and harmless cookies stay',
    anchor: 'issue 16 precision; Sentry Relay cookie scrubbing',
    pos: [
      () => {
        const s = lowerAlnum(32);
        return c(
          `Cookie: sessionid=${s}; django_language=bn; theme=dark`,
          [s],
          ['django_language=bn', 'theme=dark'],
        );
      },
      () => {
        const s = lowerAlnum(32);
        return c(
          { cookie: `csrftoken=${alnum(32)}; sessionid=${s}; tz=Asia%2FDhaka` },
          [s],
          ['tz=Asia%2FDhaka'],
        );
      },
      () => {
        const s = b64url(120);
        return c(
          `Set-Cookie: session=${s}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=86400`,
          [s],
          ['Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=86400'],
        );
      },
      () => {
        const t = jwt();
        return c(`cookie: access_token=${t}; currency=BDT`, [t], ['currency=BDT']);
      },
      () => {
        const s = `s%3A${b64url(24)}.${b64url(43)}`;
        return c(
          { 'Set-Cookie': `connect.sid=${s}; Path=/; Expires=Tue, 08 Dec 2026 10:00:00 GMT; HttpOnly` },
          [s],
          ['Expires=Tue, 08 Dec 2026 10:00:00 GMT'],
        );
      },
      () => {
        const s = hex(40);
        return c(`Cookie: remember_token=${s}|${digits(5)}; locale=en`, [s], ['locale=en']);
      },
      () => {
        const s = lowerAlnum(26);
        return c(`Cookie: PHPSESSID=${s}; cart_count=3`, [s], ['cart_count=3']);
      },
      () => {
        const s = b64url(60);
        return c({ cookies: { sessionid: s, theme: 'light' } }, [s], ['light']);
      },
      () => {
        const r = b64url(40);
        return c(
          `Set-Cookie: refresh_token=${r}; Path=/auth/refresh; HttpOnly; Secure`,
          [r],
          ['Path=/auth/refresh; HttpOnly; Secure'],
        );
      },
      () => {
        const s = b64url(80);
        return c(`Cookie: _shop_session=${s}; _ga=GA1.1.123.456; seen_banner=1`, [s], ['seen_banner=1']);
      },
    ],
    neg: [
      () =>
        c(
          'Cookie: theme=dark; django_language=bn; cart_count=2',
          [],
          ['theme=dark; django_language=bn; cart_count=2'],
        ),
      () =>
        c(
          'Set-Cookie: locale=bn-BD; Path=/; Max-Age=31536000; SameSite=Lax',
          [],
          ['locale=bn-BD; Path=/; Max-Age=31536000; SameSite=Lax'],
        ),
      () => c({ cookie_consent: 'accepted', cookie_policy_version: '2026-01' }, [], ['accepted', '2026-01']),
      () => c('SESSION_COOKIE_AGE=1209600 SESSION_COOKIE_SAMESITE=Lax', [], ['SESSION_COOKIE_AGE=1209600']),
      () =>
        c(
          'Set-Cookie: sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
          [],
          ['expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'],
        ),
      () => c({ cookies_enabled: true, cookie_count: 4 }, [], ['cookie_count']),
      () => c('Cookie: currency=BDT; tz=Asia%2FDhaka', [], ['currency=BDT; tz=Asia%2FDhaka']),
      () =>
        c(
          'Set-Cookie: ab_test=variant_b; Path=/; Max-Age=604800',
          [],
          ['ab_test=variant_b; Path=/; Max-Age=604800'],
        ),
      () => c('cookie "sessionid" missing from request', [], ['cookie "sessionid" missing from request']),
      () => c({ 'set-cookie': ['dismissed_tour=1; Path=/'] }, [], ['dismissed_tour=1; Path=/']),
    ],
  },
  'curl-lines': {
    surface: 'curl command lines in logs, tickets, runbooks',
    anchor: 'issue 16: a curl line loses only the credential',
    pos: [
      () => {
        const t = jwt();
        return c(
          `curl -sS -X POST -H 'Authorization: Bearer ${t}' -H 'Content-Type: application/json' https://api.example.com/v1/orders`,
          [t],
          ["-H 'Content-Type: application/json'", 'https://api.example.com/v1/orders'],
        );
      },
      () => {
        const p = password();
        return c(
          `curl -u deploy:${p} https://ci.example.com/job/build/api/json`,
          [p],
          ['https://ci.example.com/job/build/api/json'],
        );
      },
      () => {
        const e = email();
        const p = password();
        return c(
          `curl https://api.example.com/login -d '{"email":"${e}","password":"${p}"}'`,
          [e, p],
          ['https://api.example.com/login'],
        );
      },
      () => {
        const k = alnum(32);
        return c(
          `curl -H "X-Api-Key: ${k}" "https://api.example.com/v2/stats?from=2026-11-01"`,
          [k],
          ['from=2026-11-01'],
        );
      },
      () => {
        const p = password();
        return c(
          `curl --data-urlencode 'password=${p}' --data-urlencode 'username=ops' https://auth.example.com/token`,
          [p],
          ['username=ops', 'https://auth.example.com/token'],
        );
      },
      () => {
        const s = lowerAlnum(32);
        return c(
          `curl -b 'sessionid=${s}; theme=dark' https://shop.example.com/account`,
          [s],
          ['https://shop.example.com/account'],
        );
      },
      () => {
        const k = `sk_live_${alnum(24)}`;
        return c(
          `curl https://api.stripe.com/v1/refunds -u ${k}: -d charge=ch_3${alnum(10)}`,
          [k],
          ['https://api.stripe.com/v1/refunds'],
        );
      },
      () => {
        const t = alnum(40);
        return c(
          `curl --header "PRIVATE-TOKEN: ${t}" https://gitlab.example.com/api/v4/projects`,
          [t],
          ['https://gitlab.example.com/api/v4/projects'],
        );
      },
      () => {
        const p = password();
        return c(
          `curl "https://deploy:${p}@registry.example.com/v2/_catalog"`,
          [p],
          ['registry.example.com/v2/_catalog'],
        );
      },
      () => {
        const t = `xoxb-${digits(12)}-${digits(13)}-${alnum(24)}`;
        return c(
          `curl -F token=${t} -F channel=C024BE91L https://slack.com/api/chat.postMessage`,
          [t],
          ['channel=C024BE91L'],
        );
      },
    ],
    neg: [
      () =>
        c(
          "curl -sS -X GET -H 'Accept: application/json' https://api.example.com/health",
          [],
          ["curl -sS -X GET -H 'Accept: application/json' https://api.example.com/health"],
        ),
      () =>
        c(
          'curl -fsSL https://deb.nodesource.com/setup_20.x | bash -',
          [],
          ['https://deb.nodesource.com/setup_20.x'],
        ),
      () =>
        c(
          'curl -o /tmp/report.csv "https://reports.example.com/daily.csv?date=2026-12-06"',
          [],
          ['date=2026-12-06'],
        ),
      () =>
        c(
          'curl -X POST -H \'Content-Type: application/json\' -d \'{"sku":"MUG-01","qty":2}\' http://localhost:3000/cart',
          [],
          ['{"sku":"MUG-01","qty":2}'],
        ),
      () => c('curl --retry 3 --max-time 10 -I https://shop.example.com', [], ['--retry 3 --max-time 10']),
      () =>
        c(
          'curl -H "Authorization: Bearer $TOKEN" https://api.example.com/me',
          [],
          ['$TOKEN', 'https://api.example.com/me'],
        ),
      () =>
        c('curl -u "$CI_USER:$CI_PASSWORD" https://ci.example.com/api', [], ['https://ci.example.com/api']),
      () =>
        c(
          'curl -w "%{http_code} %{time_total}s" -s -o /dev/null https://shop.example.com/',
          [],
          ['%{http_code} %{time_total}s'],
        ),
      () =>
        c(
          'curl --cacert /etc/ssl/certs/ca.pem https://vault.internal:8200/v1/sys/health',
          [],
          ['/etc/ssl/certs/ca.pem'],
        ),
      () =>
        c(
          'curl https://api.github.com/repos/acme/shop/commits?per_page=5',
          [],
          ['https://api.github.com/repos/acme/shop/commits?per_page=5'],
        ),
    ],
  },
  'email-bodies': {
    surface: 'RFC 822 messages and e-mail text in logs',
    anchor: 'issue 16: e-mail bodies (report and alert mails)',
    count: 16,
    pos: [
      () => {
        const to = email();
        const code = digits(6);
        const mid = `<${uuid()}@mail.shop.example.com>`;
        return c(
          `From: Shop <no-reply@shop.example.com>\nTo: ${to}\nSubject: Your login code\nMessage-ID: ${mid}\n\nYour one-time code is ${code}. It expires in 10 minutes.`,
          [to, code],
          ['Subject: Your login code', mid, 'It expires in 10 minutes.'],
        );
      },
      () => {
        const to = email();
        const t = b64url(43);
        return c(
          `To: ${to}\nSubject: Reset your password\n\nClick https://shop.example.com/reset/${t}/ to choose a new password.`,
          [to, t],
          ['Subject: Reset your password', 'https://shop.example.com/reset/'],
        );
      },
      () => {
        const p = person();
        const ph = `+88${bdMobile()}`;
        return c(
          `Hi team,\n\nplease call the customer back.\n\n--\n${p}\nMobile: ${ph}`,
          [ph, p],
          ['please call the customer back.'],
        );
      },
      () => {
        const e = email();
        const n = card('4');
        return c(
          `Subject: Fwd: payment problem\n\n> From: ${e}\n> My card ${groupCard(n)} was charged twice for ${orderNo()}`,
          [e, groupCard(n)],
          ['Subject: Fwd: payment problem'],
        );
      },
      () => {
        const to = email();
        const pw = password();
        return c(
          `To: ${to}\nSubject: Welcome\n\nYour temporary password is: ${pw}\nPlease change it after first login.`,
          [to, pw],
          ['Please change it after first login.'],
        );
      },
      () => {
        const e = email();
        return c(
          `Delivery Status Notification (Failure)\n\nYour message to ${e} couldn't be delivered. 550 5.1.1 User unknown`,
          [e],
          ['550 5.1.1 User unknown'],
        );
      },
      () => {
        const e = email();
        const ip = ipv4();
        return c(
          `Received: from mail-out.example.net (${ip})\n  by mx.shop.example.com with ESMTPS id ${upper()}\nReturn-Path: <${e}>`,
          [e, ip],
          ['by mx.shop.example.com with ESMTPS'],
        );
      },
      () => {
        const to = email();
        const iv = invoiceNo();
        return c(
          `To: ${to}\nSubject: Invoice ${iv}\n\nAmount due: ৳4,500.00 by 2026-12-31.`,
          [to],
          [iv, '৳4,500.00', '2026-12-31'],
        );
      },
    ],
    neg: [
      () => {
        const iv = invoiceNo();
        return c(
          `From: Billing <billing@shop.example.com>\nSubject: Invoice ${iv} is ready\nDate: Mon, 07 Dec 2026 10:15:30 +0000\n\nYour invoice of ৳1,200.00 is attached.`,
          [],
          [iv, 'Date: Mon, 07 Dec 2026 10:15:30 +0000', '৳1,200.00'],
        );
      },
      () =>
        c(
          'Subject: [alert] p95 latency above 800 ms on checkout\n\nService: shop\nSince: 2026-12-07T10:00:00Z\nRunbook: https://runbooks.example.com/latency',
          [],
          ['p95 latency above 800 ms', 'https://runbooks.example.com/latency'],
        ),
      () => {
        const mid = `<${uuid()}@mail.shop.example.com>`;
        return c(
          `Message-ID: ${mid}\nIn-Reply-To: ${mid}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8`,
          [],
          [mid, 'charset=utf-8'],
        );
      },
      () =>
        c(
          'Subject: Weekly report\n\nOrders: 1,342\nRevenue: ৳2,45,000\nRefunds: 12\nTop product: Runner Pro',
          [],
          ['Orders: 1,342', '৳2,45,000', 'Runner Pro'],
        ),
      () =>
        c(
          'Your order ORD-2026-004512 has shipped via Pathao. Tracking: PTH-88213-DAC. Expected delivery: 9 Dec.',
          [],
          ['ORD-2026-004512', 'PTH-88213-DAC'],
        ),
      () =>
        c(
          'List-Unsubscribe: <https://shop.example.com/unsubscribe>\nPrecedence: bulk\nX-Mailer: nodemailer 10.6.0',
          [],
          ['<https://shop.example.com/unsubscribe>', 'nodemailer 10.6.0'],
        ),
      () =>
        c(
          'Subject: Maintenance window\n\nThe database will be upgraded from PostgreSQL 15.4 to 16.1 on 2026-12-12 between 02:00 and 03:00 BST.',
          [],
          ['PostgreSQL 15.4 to 16.1', '02:00 and 03:00 BST'],
        ),
      () =>
        c(
          'Auto-Submitted: auto-replied\nSubject: Out of office until 2026-12-15',
          [],
          ['Out of office until 2026-12-15'],
        ),
    ],
  },
  'multilingual-keys': {
    surface: 'JSON and key=value with key names in many languages',
    anchor: 'issue 16: a password is also a contraseña, Passwort, পাসওয়ার্ড',
    count: 24,
    pos: [
      () => {
        const p = password();
        return c({ usuario: 'mrodriguez', contraseña: p }, [p], ['mrodriguez']);
      },
      () => {
        const p = password();
        return c({ Benutzername: 'kmueller', Passwort: p }, [p], ['kmueller']);
      },
      () => {
        const p = password();
        return c({ পাসওয়ার্ড: p, ব্যবহারকারী: 'rahim_bd' }, [p], ['rahim_bd']);
      },
      () => {
        const p = password();
        return c(`mot_de_passe=${p} identifiant=jdupont`, [p], ['identifiant=jdupont']);
      },
      () => {
        const p = password();
        return c({ senha: p, login: 'jsilva' }, [p], ['jsilva']);
      },
      () => {
        const p = password();
        return c({ パスワード: p, ユーザー名: 'tanaka_k' }, [p], ['tanaka_k']);
      },
      () => {
        const p = password();
        return c({ пароль: p, логин: 'ivanov' }, [p], ['ivanov']);
      },
      () => {
        const p = password();
        return c({ 密码: p, 用户名: 'wang_li' }, [p], ['wang_li']);
      },
      () => {
        const p = password();
        return c({ كلمة_المرور: p, اسم_المستخدم: 'ahmad' }, [p], ['ahmad']);
      },
      () => {
        const p = password();
        return c({ wachtwoord: p, gebruikersnaam: 'jvdberg' }, [p], ['jvdberg']);
      },
      () => {
        const p = password();
        return c({ hasło: p, użytkownik: 'akowalski' }, [p], ['akowalski']);
      },
      () => {
        const p = password();
        return c({ şifre: p, kullanıcı: 'ayilmaz' }, [p], ['ayilmaz']);
      },
      () => {
        const p = password();
        return c({ 'mật khẩu': p, 'tên đăng nhập': 'nguyenvan' }, [p], ['nguyenvan']);
      },
      () => {
        const e = email();
        return c({ correo_electronico: e, nombre_producto: 'Zapatos' }, [e], ['Zapatos']);
      },
      () => {
        const ph = `+49 1${int(51, 79)} ${digits(8)}`;
        return c({ Telefonnummer: ph, Bestellnummer: 'B-88213' }, [ph], ['B-88213']);
      },
      () => {
        const ph = bdMobile();
        return c({ 'মোবাইল নম্বর': ph, পণ্য: 'শাড়ি' }, [ph], ['শাড়ি']);
      },
    ],
    neg: [
      () => c({ nombre_producto: 'Camisa', precio: '29.99', cantidad: 2 }, [], ['Camisa', '29.99']),
      () => c({ Bestellnummer: 'B-77120', Lieferdatum: '2026-12-10' }, [], ['B-77120', '2026-12-10']),
      () => c({ মূল্য: '৳১,২০০', পরিমাণ: '২' }, [], ['৳১,২০০']),
      () => c({ 数量: 3, 价格: '99.00', 状态: '已发货' }, [], ['99.00', '已发货']),
      () => c({ contraseña_actualizada: true, intentos: 2 }, [], ['contraseña_actualizada']),
      () => c({ Passwortrichtlinie: 'mindestens 12 Zeichen' }, [], ['mindestens 12 Zeichen']),
      () =>
        c(
          { 'অর্ডার নম্বর': 'ORD-2026-778812', অবস্থা: 'ডেলিভারি হয়েছে' },
          [],
          ['ORD-2026-778812', 'ডেলিভারি হয়েছে'],
        ),
      () => c({ statut_commande: 'expédiée', ville: 'Lyon' }, [], ['expédiée', 'Lyon']),
    ],
  },
  'webhook-bodies': {
    surface: 'webhook request bodies (Stripe, GitHub, Shopify, Twilio, SSLCommerz, bKash)',
    anchor: 'issue 16: webhook bodies; provider documentation payload shapes',
    pos: [
      () => {
        const e = email();
        const n = person();
        const ev = `evt_1${alnum(23)}`;
        return c(
          {
            id: ev,
            type: 'charge.succeeded',
            data: {
              object: {
                id: `ch_3${alnum(23)}`,
                amount: 4999,
                billing_details: { email: e, name: n, phone: null },
                payment_method_details: { card: { brand: 'visa', last4: '4242' } },
              },
            },
          },
          [e, n],
          [ev, 'charge.succeeded', '4242'],
        );
      },
      () => {
        const e = email();
        const n = person();
        const s = sha1();
        return c(
          {
            ref: 'refs/heads/main',
            after: s,
            pusher: { name: 'nusrat-dev', email: e },
            head_commit: { id: s, author: { name: n, email: e } },
          },
          [e],
          [s, 'refs/heads/main'],
        );
      },
      () => {
        const e = email();
        const ph = `+1 415 ${int(200, 999)} ${digits(4)}`;
        const o = `#${int(1001, 9999)}`;
        return c(
          {
            id: int(1e12, 9e12),
            name: o,
            email: e,
            shipping_address: { phone: ph, city: 'San Francisco', zip: '94105' },
            total_price: '129.00',
          },
          [e, ph],
          [o, '129.00', 'San Francisco'],
        );
      },
      () => {
        const ph = `+1${int(201, 989)}${int(200, 999)}${digits(4)}`;
        const code = digits(6);
        return c(
          `ToCountry=US&From=%2B${ph.slice(1)}&Body=My+code+is+${code}&MessageSid=SM${hex(32)}&NumMedia=0`,
          [ph.slice(1), code],
          ['NumMedia=0'],
        );
      },
      () => {
        const ph = bdMobile();
        const e = email();
        const t = `TXN${digits(10)}`;
        return c(
          `tran_id=${t}&val_id=${digits(14)}&amount=1500.00&card_type=BKASH-BKash&cus_phone=${ph}&cus_email=${encodeURIComponent(e)}&status=VALID`,
          [ph, encodeURIComponent(e)],
          [t, 'status=VALID'],
        );
      },
      () => {
        const ph = bdMobile();
        const pid = `TR0011${upperAlnumX(12)}`;
        return c(
          {
            paymentID: pid,
            trxID: upperAlnumX(10),
            transactionStatus: 'Completed',
            amount: '500',
            customerMsisdn: ph,
            payerReference: ph,
          },
          [ph],
          [pid, 'Completed'],
        );
      },
      () => {
        const e = email();
        return c(
          {
            event: 'user.created',
            data: {
              id: `usr_${alnum(16)}`,
              email_addresses: [{ email_address: e, verification: { status: 'verified' } }],
            },
          },
          [e],
          ['user.created'],
        );
      },
      () => {
        const e = email();
        const ip = ipv4();
        return c(
          {
            event: 'delivered',
            recipient: e,
            'client-info': { 'client-name': 'Gmail' },
            ip,
            timestamp: Number(epoch()),
          },
          [e, ip],
          ['delivered', 'Gmail'],
        );
      },
    ],
    neg: [
      () => {
        const ev = `evt_1${alnum(23)}`;
        return c(
          {
            id: ev,
            type: 'invoice.paid',
            data: { object: { id: `in_1${alnum(23)}`, amount_paid: 2000, currency: 'usd', status: 'paid' } },
          },
          [],
          [ev, 'invoice.paid', '2000'],
        );
      },
      () => {
        const s = sha1();
        return c(
          { action: 'completed', workflow_run: { id: 7123456789, head_sha: s, conclusion: 'success' } },
          [],
          [s, '7123456789'],
        );
      },
      () =>
        c(
          {
            topic: 'inventory_levels/update',
            inventory_item_id: 808950810,
            location_id: 905684977,
            available: 6,
          },
          [],
          ['inventory_levels/update', '808950810'],
        ),
      () =>
        c(
          { MessageSid: `SM${'a1b2'.repeat(8)}`, MessageStatus: 'delivered', ErrorCode: null },
          [],
          [`SM${'a1b2'.repeat(8)}`, 'delivered'],
        ),
      () => {
        const t = `TXN${digits(10)}`;
        return c(
          `tran_id=${t}&status=VALID&amount=1500.00&currency=BDT&store_id=shop_live`,
          [],
          [t, 'amount=1500.00'],
        );
      },
      () =>
        c(
          {
            paymentID: 'TR0011ABCDEFGH12',
            transactionStatus: 'Initiated',
            amount: '250',
            currency: 'BDT',
            intent: 'sale',
          },
          [],
          ['TR0011ABCDEFGH12', 'Initiated'],
        ),
      () =>
        c(
          {
            event: 'deployment.succeeded',
            payload: { deployment: { id: 'dpl_89XkT', url: 'shop-git-main.vercel.app' } },
          },
          [],
          ['dpl_89XkT', 'shop-git-main.vercel.app'],
        ),
      () =>
        c(
          { type: 'checkout.session.expired', livemode: false, api_version: '2024-06-20' },
          [],
          ['checkout.session.expired', '2024-06-20'],
        ),
    ],
  },
  'config-env': {
    surface: '.env, YAML, INI, docker-compose and settings files',
    anchor: 'detect-secrets KeywordDetector; gitleaks generic-api-key',
    pos: [
      () => {
        const p = alnum(18);
        const s = alnum(40);
        return c(
          `NODE_ENV=production\nPORT=3000\nDB_PASSWORD=${p}\nJWT_SECRET=${s}\nLOG_LEVEL=info`,
          [p, s],
          ['NODE_ENV=production', 'PORT=3000', 'LOG_LEVEL=info'],
        );
      },
      () => {
        const p = alnum(16);
        return c(
          `database:\n  host: db.internal\n  port: 5432\n  username: shop\n  password: ${p}\n  pool: 10`,
          [p],
          ['host: db.internal', 'pool: 10'],
        );
      },
      () => {
        const p = alnum(16);
        return c(
          `[smtp]\nhost = smtp.mailgun.org\nport = 587\nuser = postmaster@mg.shop.example.com\npassword = ${p}`,
          [p],
          ['host = smtp.mailgun.org', 'port = 587'],
        );
      },
      () => {
        const p = alnum(20);
        return c(
          `services:\n  db:\n    image: postgres:15\n    environment:\n      POSTGRES_PASSWORD: ${p}\n      POSTGRES_DB: shop`,
          [p],
          ['image: postgres:15', 'POSTGRES_DB: shop'],
        );
      },
      () => {
        const k = `sk_live_${alnum(24)}`;
        return c(`STRIPE_KEY="${k}" # prod`, [k], ['# prod']);
      },
      () => {
        const p = alnum(16);
        return c(
          `EMAIL_HOST_PASSWORD = '${p}'\nEMAIL_HOST = 'smtp.gmail.com'\nEMAIL_PORT = 587`,
          [p],
          ["EMAIL_HOST = 'smtp.gmail.com'"],
        );
      },
      () => {
        const t = alnum(36);
        return c(
          `spring.datasource.url=jdbc:mysql://db:3306/shop\nspring.datasource.password=${t}`,
          [t],
          ['jdbc:mysql://db:3306/shop'],
        );
      },
      () => {
        const p = alnum(24);
        return c({ redis: { host: 'redis', port: 6379, password: p, db: 0 } }, [p], ['6379']);
      },
      () => {
        const t = `xoxb-${digits(12)}-${digits(13)}-${alnum(24)}`;
        return c(`alerting:\n  slack_token: "${t}"\n  channel: "#ops"`, [t], ['channel: "#ops"']);
      },
      () => {
        const p = alnum(14);
        return c(
          `export PGPASSWORD='${p}'\npsql -h db -U shop -d shop -c 'select 1'`,
          [p],
          ["psql -h db -U shop -d shop -c 'select 1'"],
        );
      },
    ],
    neg: [
      () =>
        c(
          'NODE_ENV=production\nPORT=3000\nLOG_LEVEL=info\nTZ=Asia/Dhaka',
          [],
          ['NODE_ENV=production', 'TZ=Asia/Dhaka'],
        ),
      () =>
        c(
          'server:\n  port: 8080\n  shutdown: graceful\nmanagement:\n  endpoints: health,info',
          [],
          ['shutdown: graceful', 'endpoints: health,info'],
        ),
      () =>
        c(
          '[uwsgi]\nmodule = shop.wsgi:application\nprocesses = 4\nharakiri = 30',
          [],
          ['module = shop.wsgi:application', 'harakiri = 30'],
        ),
      () =>
        c(
          'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]',
          [],
          ['django.contrib.auth.hashers.Argon2PasswordHasher'],
        ),
      () =>
        c(
          {
            AUTH_PASSWORD_VALIDATORS: [
              {
                NAME: 'django.contrib.auth.password_validation.MinimumLengthValidator',
                OPTIONS: { min_length: 12 },
              },
            ],
          },
          [],
          ['django.contrib.auth.password_validation.MinimumLengthValidator'],
        ),
      () =>
        c(
          'REDIS_URL=redis://redis:6379/1\nCACHE_TTL=300',
          [],
          ['REDIS_URL=redis://redis:6379/1', 'CACHE_TTL=300'],
        ),
      () =>
        c(
          'image: ghcr.io/acme/shop:2.8.1\nreplicas: 3\nresources:\n  limits:\n    memory: 512Mi',
          [],
          ['ghcr.io/acme/shop:2.8.1', 'memory: 512Mi'],
        ),
      () => c('DB_PASSWORD_FILE=/run/secrets/db_password', [], ['/run/secrets/db_password']),
      () =>
        c(
          'secretKeyRef:\n  name: shop-secrets\n  key: stripe-key',
          [],
          ['name: shop-secrets', 'key: stripe-key'],
        ),
      () =>
        c(
          'SENTRY_ENVIRONMENT=production\nSENTRY_TRACES_SAMPLE_RATE=0.1',
          [],
          ['SENTRY_TRACES_SAMPLE_RATE=0.1'],
        ),
    ],
  },
  'audit-events': {
    surface: 'audit events with actor, resource and before/after changes',
    anchor: 'Vigil audit contract: changes {field: {before, after}}',
    pos: [
      () => {
        const b = email();
        const a = email();
        const id = uuid();
        return c(
          {
            id,
            action: 'user.email.changed',
            actor: { type: 'user', id: 'u-4412' },
            changes: { email: { before: b, after: a } },
          },
          [b, a],
          [id, 'user.email.changed', 'u-4412'],
        );
      },
      () => {
        const b = `+88${bdMobile()}`;
        const a = `+88${bdMobile()}`;
        return c(
          {
            action: 'profile.updated',
            changes: { phone: { before: b, after: a }, city: { before: 'Dhaka', after: 'Sylhet' } },
          },
          [b, a],
          ['Dhaka', 'Sylhet'],
        );
      },
      () => {
        const n = person();
        const ph = `+88${bdMobile()}`;
        return c(
          {
            action: 'privacy.settings.updated',
            changes: { emergency_contact: { before: null, after: `${n} ${ph}` } },
          },
          [n, ph],
          ['privacy.settings.updated'],
        );
      },
      () => {
        const a = bdMobile();
        return c(
          {
            action: 'wallet.payout_account.changed',
            resource: { type: 'wallet', id: 'w-9921' },
            changes: { bkash_number: { before: null, after: a } },
          },
          [a],
          ['w-9921'],
        );
      },
      () => {
        const h1 = pbkdf2();
        const h2 = pbkdf2();
        return c(
          {
            action: 'user.password.changed',
            changes: { password: { before: h1, after: h2 } },
            outcome: 'success',
          },
          [h1, h2],
          ['user.password.changed'],
        );
      },
      () => {
        const ip = ipv4();
        const r = uuid();
        return c(
          {
            action: 'admin.login',
            actor: { type: 'admin', id: 'adm-7', ip },
            request_id: r,
            outcome: 'success',
          },
          [ip],
          [r, 'adm-7'],
        );
      },
      () => {
        const d = dateOnly(1960, 2002);
        return c(
          {
            action: 'kyc.updated',
            changes: { date_of_birth: { before: null, after: d }, kyc_level: { before: 1, after: 2 } },
          },
          [d],
          ['kyc.updated'],
        );
      },
      () => {
        const nid = `${int(1, 9)}${digits(9)}`;
        return c(
          { action: 'kyc.document.submitted', metadata: { nid_number: nid, document_type: 'nid_front' } },
          [nid],
          ['nid_front'],
        );
      },
      () => {
        const v = iban('DE');
        return c(
          { action: 'payout.method.added', changes: { iban: { before: null, after: v } } },
          [v],
          ['payout.method.added'],
        );
      },
      () => {
        const e = email();
        return c(
          { action: 'admin.profile.viewed', metadata: { view: 'UserDetailView', target_email: e } },
          [e],
          ['UserDetailView'],
        );
      },
    ],
    neg: [
      () => {
        const id = uuid();
        return c(
          {
            id,
            action: 'admin.economy_field.changed',
            changes: { coin_price: { before: 120, after: 150 }, currency: { before: 'BDT', after: 'BDT' } },
          },
          [],
          [id, '120', '150'],
        );
      },
      () =>
        c(
          {
            action: 'order.status.changed',
            resource: { type: 'order', id: 'ORD-2026-004512' },
            changes: { status: { before: 'paid', after: 'shipped' } },
          },
          [],
          ['ORD-2026-004512', 'shipped'],
        ),
      () =>
        c(
          {
            action: 'user.password.changed',
            changes: {
              password_changed_at: { before: '2026-01-02T10:00:00Z', after: '2026-12-07T10:00:00Z' },
            },
          },
          [],
          ['2026-12-07T10:00:00Z'],
        ),
      () =>
        c(
          {
            action: 'wallet.balance.adjusted',
            changes: { balance: { before: '1250.00', after: '1000.00' } },
            reason: 'chargeback',
          },
          [],
          ['1250.00', '1000.00', 'chargeback'],
        ),
      () =>
        c(
          {
            action: 'feature_flag.toggled',
            changes: { new_checkout: { before: false, after: true } },
            actor: { type: 'admin', id: 'adm-3' },
          },
          [],
          ['new_checkout', 'adm-3'],
        ),
      () =>
        c(
          {
            action: 'admin.bulk_action.executed',
            metadata: { count: 250, view: 'OrderListView', action_name: 'mark_shipped' },
          },
          [],
          ['250', 'mark_shipped'],
        ),
      () =>
        c(
          { action: 'settings.updated', changes: { email_notifications: { before: true, after: false } } },
          [],
          ['email_notifications'],
        ),
      () => {
        const t = traceId();
        return c(
          { action: 'api_key.rotated', metadata: { api_key_id: 'key_88231', trace_id: t } },
          [],
          ['key_88231', t],
        );
      },
      () =>
        c(
          {
            action: 'user.role.changed',
            changes: { role: { before: 'viewer', after: 'editor' } },
            tenant_id: 't-12',
          },
          [],
          ['viewer', 'editor', 't-12'],
        ),
      () =>
        c(
          { action: 'inventory.adjusted', changes: { stock: { before: 12, after: 9 } }, sku: 'SHOE-42-BLK' },
          [],
          ['SHOE-42-BLK'],
        ),
    ],
  },
  'tracebacks-exceptions': {
    surface: 'Python and Node stack traces and exception messages',
    anchor: 'issue 16: exception messages are the hardest text; Sentry exception values',
    pos: [
      () => {
        const e = email();
        return c(
          `Traceback (most recent call last):\n  File "/srv/shop/accounts/views.py", line 88, in login\n    user = User.objects.get(email=email)\naccounts.models.User.DoesNotExist: User matching query does not exist. email='${e}'`,
          [e],
          ['File "/srv/shop/accounts/views.py", line 88, in login'],
        );
      },
      () => {
        const ph = bdMobile();
        return c(
          `ValueError: invalid msisdn '${ph}' for operator GP: prefix not allowed`,
          [ph],
          ['for operator GP'],
        );
      },
      () => {
        const p = password();
        return c(
          `django.db.utils.OperationalError: FATAL:  password authentication failed for user "shop" (password '${p}')`,
          [p],
          ['password authentication failed for user "shop"'],
        );
      },
      () => {
        const n = card('4');
        return c(
          `Error: Card ${n} rejected by gateway\n    at charge (/app/src/payments/charge.ts:41:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
          [n],
          ['/app/src/payments/charge.ts:41:11'],
        );
      },
      () => {
        const t = `ghp_${alnum(36)}`;
        return c(
          `fatal: unable to access 'https://${t}@github.com/acme/shop.git/': The requested URL returned error: 403`,
          [t],
          ['The requested URL returned error: 403'],
        );
      },
      () => {
        const e = email();
        return c(`KeyError: "No customer with email ${e}"`, [e], ['KeyError']);
      },
      () => {
        const ip = ipv4();
        return c(
          `requests.exceptions.ConnectionError: HTTPSConnectionPool(host='${ip}', port=443): Max retries exceeded with url: /v1/charge`,
          [ip],
          ['Max retries exceeded with url: /v1/charge'],
        );
      },
      () => {
        const k = `sk_live_${alnum(24)}`;
        return c(
          `stripe.error.AuthenticationError: Invalid API Key provided: ${k}`,
          [k],
          ['stripe.error.AuthenticationError'],
        );
      },
      () => {
        const s = `${int(100, 665)}-${int(10, 99)}-${int(1000, 9999)}`;
        return c(
          `pydantic.error_wrappers.ValidationError: 1 validation error for Applicant\nssn\n  string does not match regex (type=value_error.str.regex; given='${s}')`,
          [s],
          ['1 validation error for Applicant'],
        );
      },
      () => {
        const e = email();
        return c(
          `IntegrityError: duplicate key value violates unique constraint "users_email_key"\nDETAIL:  Key (lower(email::text))=(${e}) already exists.`,
          [e],
          ['users_email_key'],
        );
      },
    ],
    neg: [
      () =>
        c(
          'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/django/core/handlers/exception.py", line 47, in inner\n    response = get_response(request)\nZeroDivisionError: division by zero',
          [],
          [
            '/usr/lib/python3/dist-packages/django/core/handlers/exception.py',
            'ZeroDivisionError: division by zero',
          ],
        ),
      () =>
        c(
          "TypeError: Cannot read properties of undefined (reading 'id')\n    at OrdersService.find (/app/dist/orders/orders.service.js:52:19)",
          [],
          ['/app/dist/orders/orders.service.js:52:19'],
        ),
      () => {
        const o = orderNo();
        return c(`Order.DoesNotExist: Order matching query does not exist. (number=${o})`, [], [o]);
      },
      () =>
        c(
          'redis.exceptions.TimeoutError: Timeout reading from redis:6379 after 5.0s',
          [],
          ['redis:6379', '5.0s'],
        ),
      () => {
        const r = uuid();
        return c(`TimeoutError: request ${r} exceeded 30000 ms`, [], [r, '30000 ms']);
      },
      () =>
        c(
          'django.core.exceptions.ValidationError: ["\'2026-13-01\' value has an invalid date format. It must be in YYYY-MM-DD format."]',
          [],
          ['YYYY-MM-DD'],
        ),
      () =>
        c(
          'psycopg2.errors.UndefinedColumn: column "password_changed_at" does not exist\nLINE 1: SELECT password_changed_at FROM users',
          [],
          ['column "password_changed_at" does not exist'],
        ),
      () => c('AssertionError: expected 200, got 503 (GET /health/readiness)', [], ['expected 200, got 503']),
      () =>
        c(
          "celery.exceptions.Retry: Retry in 60s: ConnectionResetError(104, 'Connection reset by peer')",
          [],
          ['Retry in 60s'],
        ),
      () =>
        c('MemoryError: cannot allocate 268435456 bytes (worker pid 4121)', [], ['268435456', 'pid 4121']),
    ],
  },
  'user-paths': {
    surface: 'file paths holding an OS user name',
    anchor: 'Sentry Relay @userpath (/home/<user>, /Users/<user>, C:\\Users\\<user>)',
    count: 16,
    pos: [
      () => {
        const u = `${pick(['farhana', 'tanvir', 'olivia', 'mateo', 'priya'])}.${pick(['akter', 'hossain', 'smith', 'garcia', 'sharma'])}${int(1, 99)}`;
        return c(
          `File "/home/${u}/projects/shop/manage.py", line 22, in <module>`,
          [u],
          ['/projects/shop/manage.py", line 22'],
        );
      },
      () => {
        const u = `${pick(['Nusrat', 'Liam', 'Sofia', 'Imran'])}${pick(['Rahman', 'Nguyen', 'Rossi', 'Patel'])}${int(1, 99)}`;
        return c(
          `at Object.<anonymous> (/Users/${u}/code/api/src/main.ts:12:3)`,
          [u],
          ['/code/api/src/main.ts:12:3'],
        );
      },
      () => {
        const u = `${pick(['sakib', 'mitu', 'hannah', 'noah'])}_${pick(['islam', 'begum', 'tanaka', 'kowalski'])}${int(1, 99)}`;
        return c(
          { filename: `C:\\Users\\${u}\\AppData\\Local\\Temp\\report.xlsx` },
          [u],
          ['\\AppData\\Local\\Temp\\report.xlsx'],
        );
      },
      () => {
        const u = `${pick(['ayesha', 'lucas', 'chen', 'amelia'])}-${pick(['chowdhury', 'muller', 'mei', 'okafor'])}${int(1, 99)}`;
        return c(`cwd=/home/${u}/work pid=4412`, [u], ['pid=4412']);
      },
    ],
    neg: [
      () =>
        c(
          'File "/usr/lib/python3/dist-packages/django/db/models/query.py", line 435, in get',
          [],
          ['/usr/lib/python3/dist-packages/django/db/models/query.py'],
        ),
      () =>
        c(
          'at Module._compile (node:internal/modules/cjs/loader:1256:14)',
          [],
          ['node:internal/modules/cjs/loader:1256:14'],
        ),
      () => c({ path: '/srv/shop/static/css/app.9f2c1e.css' }, [], ['/srv/shop/static/css/app.9f2c1e.css']),
      () => c('C:\\Program Files\\nodejs\\node.exe', [], ['C:\\Program Files\\nodejs\\node.exe']),
      () => c('/var/log/nginx/access.log rotated', [], ['/var/log/nginx/access.log']),
      () =>
        c(
          '/opt/app/.venv/lib/python3.11/site-packages/celery/app/trace.py',
          [],
          ['/opt/app/.venv/lib/python3.11/site-packages/celery/app/trace.py'],
        ),
      () => c('/home/ rotated to /mnt/home/ on 2026-12-07', [], ['/mnt/home/']),
      () =>
        c(
          '/tmp/pytest-of-root/pytest-12/test_checkout0/db.sqlite3',
          [],
          ['/tmp/pytest-of-root/pytest-12/test_checkout0/db.sqlite3'],
        ),
    ],
  },
};

function upper() {
  return alnum(12).toUpperCase();
}
function upperAlnumX(n) {
  return alnum(n).toUpperCase();
}
