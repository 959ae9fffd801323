// Hard-negative categories: only values that must come out byte for byte. Each is a look-alike of something
// sensitive (long digit runs, hex, base64, dotted quads, capitalised words) that apps log all day.
import {
  alnum,
  b64chars,
  dateOnly,
  nonLuhn,
  digits,
  epoch,
  epochMs,
  hex,
  int,
  invoiceNo,
  isbn13,
  isoTime,
  lowerAlnum,
  orderNo,
  pick,
  price,
  sha1,
  spanId,
  traceId,
  upperAlnum,
  upsTracking,
  uspsTracking,
  uuid,
  version,
} from '../values.mjs';
import { c } from './entities.mjs';

const keepAll = (makers) =>
  makers.map((make) => () => {
    const [input, keep] = make();
    return c(input, [], keep);
  });

export const negativeCategories = {
  'negatives-identifiers': {
    surface: 'ids of every shape in JSON and text',
    anchor: 'issue 16 precision: UUIDs, trace ids, traceparent, git SHAs, digests stay',
    count: 32,
    negShare: 1,
    pos: [],
    neg: keepAll([
      () => {
        const v = uuid();
        return [{ request_id: v }, [v]];
      },
      () => {
        const v = uuid();
        return [`user ${v} signed in`, [v]];
      },
      () => {
        const v = `0190${hex(4)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`;
        return [{ id: v }, [v]];
      },
      () => {
        const v = `01J${upperAlnum(23).replace(/[ILOU]/g, 'K')}`;
        return [{ ulid: v }, [v]];
      },
      () => {
        const v = traceId();
        return [`trace_id=${v}`, [v]];
      },
      () => {
        const v = `00-${traceId()}-${spanId()}-01`;
        return [{ traceparent: v }, [v]];
      },
      () => {
        const v = sha1();
        return [`deployed ${v}`, [v]];
      },
      () => {
        const v = sha1().slice(0, 7);
        return [`commit ${v}: fix checkout rounding`, [v]];
      },
      () => {
        const v = `sha256:${hex(64)}`;
        return [{ digest: v }, [v]];
      },
      () => {
        const v = hex(24);
        return [{ _id: { $oid: v } }, [v]];
      },
      () => {
        const v = hex(32);
        return [{ event_id: v, level: 'error' }, [v]];
      },
      () => {
        const v = `shop-api-${lowerAlnum(10)}-${lowerAlnum(5)}`;
        return [`pod ${v} OOMKilled`, [v]];
      },
      () => {
        const v = `${traceId()}-${spanId()}-1`;
        return [{ 'sentry-trace': v }, [v]];
      },
      () => {
        const v = `req_${alnum(14)}`;
        return [{ stripe_request_id: v }, [v]];
      },
      () => {
        const v = `Root=1-${hex(8)}-${hex(24)}`;
        return [`X-Amzn-Trace-Id: ${v}`, [v]];
      },
      () => {
        const v = hex(64);
        return [{ sha256: v, file: 'invoice.pdf' }, [v]];
      },
      () => {
        const v = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`.toUpperCase();
        return [{ DeviceId: v }, [v]];
      },
      () => {
        const v = `md5:${hex(32)}`;
        return [{ checksum: v }, [v]];
      },
      () => {
        const v = `task-${uuid()}`;
        return [`celery ${v} succeeded in 0.84s`, [v, '0.84s']];
      },
      () => {
        const v = `cs_live_${alnum(58)}`;
        return [{ checkout_session: v }, [v]];
      },
      () => {
        const v = `${spanId()}`;
        return [{ span_id: v, parent_span_id: spanId() }, [v]];
      },
      () => {
        const v = `W/"${hex(8)}-${hex(27)}"`;
        return [{ etag: v }, [v]];
      },
    ]),
  },
  'negatives-numbers': {
    surface: 'numbers that look like phones, cards or ids',
    anchor:
      'issue 16 precision: versions, timestamps, epochs, order numbers, prices, balances, counts, durations, status codes',
    count: 36,
    negShare: 1,
    pos: [],
    neg: keepAll([
      () => {
        const v = version();
        return [`upgraded to v${v}`, [v]];
      },
      () => {
        const v = isoTime();
        return [{ timestamp: v }, [v]];
      },
      () => {
        const v = epoch();
        return [{ ts: Number(v) }, [v]];
      },
      () => {
        const v = epochMs();
        return [`time=${v}`, [v]];
      },
      () => {
        const v = orderNo();
        return [`order ${v} created`, [v]];
      },
      () => {
        const v = invoiceNo();
        return [{ invoice: v }, [v]];
      },
      () => {
        const v = price();
        return [{ price: v, currency: 'BDT' }, [v]];
      },
      () => {
        const v = `৳${int(1, 99)},${digits(3)}.${digits(2)}`;
        return [`balance ${v}`, [v]];
      },
      () => {
        const v = String(int(10000, 99999999));
        return [{ coins: Number(v), gems: 12 }, [v]];
      },
      () => {
        const v = String(int(1, 100000));
        return [{ count: Number(v) }, [v]];
      },
      () => {
        const v = `${int(1, 59999)}ms`;
        return [`GET /products ${v}`, [v]];
      },
      () => {
        const v = pick([
          '200',
          '201',
          '204',
          '301',
          '400',
          '401',
          '403',
          '404',
          '409',
          '422',
          '429',
          '500',
          '502',
          '503',
        ]);
        return [{ status_code: Number(v), path: '/api/x' }, [v]];
      },
      () => {
        const v = `${int(1000000000, 9999999999)}`;
        return [{ bytes: Number(v) }, [v]];
      },
      () => {
        const v = `${int(10, 99)}.${digits(6)}`;
        return [{ latitude: Number(v) }, [v]];
      },
      () => {
        const v = `${int(1000, 9999)}/${int(10000, 99999)}`;
        return [`progress ${v}`, [v]];
      },
      () => {
        const v = `${digits(2)}:${digits(2)}:${digits(2)}`;
        return [`uptime ${v}`, [v]];
      },
      () => {
        const v = dateOnly();
        return [{ date: v }, [v]];
      },
      () => {
        const v = `${int(1, 99)}.${digits(1)}%`;
        return [`cpu ${v}`, [v]];
      },
      () => {
        const v = `${int(1, 12)}/${int(1, 28)}/${int(2024, 2026)}`;
        return [`scheduled ${v}`, [v]];
      },
      () => {
        const v = `${int(1000000, 9999999)}`;
        return [`pid=${v}`, [v]];
      },
      () => {
        const v = `+${int(1, 90)} ${pick(['points', 'XP', 'coins'])}`;
        return [{ reward: v }, [v]];
      },
      () => {
        const v = `${int(100, 999)}-${int(100, 999)}-${int(1000, 9999)}-${int(10, 99)}`;
        return [{ batch_code: v }, [v]];
      },
      () => {
        const v = nonLuhn(`${int(1, 9)}${digits(15)}`);
        return [{ snowflake: v }, [v]];
      },
      () => {
        const v = `${int(1, 65535)}`;
        return [`listening on port ${v}`, [v]];
      },
      () => {
        const v = nonLuhn(`${int(1, 9)}${digits(11)}`);
        return [`kafka offset ${v}`, [v]];
      },
      () => {
        const v = nonLuhn(
          `${int(2024, 2026)}${String(int(1, 12)).padStart(2, '0')}${String(int(1, 28)).padStart(2, '0')}${digits(6)}`,
        );
        return [{ batch: v }, [v]];
      },
    ]),
  },
  'negatives-text': {
    surface: 'words, names of things, hosts, paths, public material',
    anchor:
      'issue 16 precision: hostnames, paths, product names, ISBNs, tracking numbers, public keys, client ids',
    count: 36,
    negShare: 1,
    pos: [],
    neg: keepAll([
      () => {
        const v = `api-${lowerAlnum(4)}.shop.example.com:8443`;
        return [`connecting to ${v}`, [v]];
      },
      () => {
        const v = `/api/v1/orders/${int(1, 99999)}/items`;
        return [{ path: v }, [v]];
      },
      () => [
        { product: 'Samsung Galaxy S24 Ultra', category: 'Mobile Phones' },
        ['Samsung Galaxy S24 Ultra', 'Mobile Phones'],
      ],
      () => ['Welcome Back To The Summer Collection', ['Welcome Back To The Summer Collection']],
      () => {
        const v = isbn13();
        return [{ isbn: v }, [v]];
      },
      () => {
        const v = upsTracking();
        return [`UPS ${v} out for delivery`, [v]];
      },
      () => {
        const v = uspsTracking();
        return [{ tracking: v }, [v]];
      },
      () => {
        const v = `pk_live_${alnum(24)}`;
        return [{ stripe_publishable_key: v }, [v]];
      },
      () => {
        const v = `${digits(12)}-${lowerAlnum(32)}.apps.googleusercontent.com`;
        return [{ google_client_id: v }, [v]];
      },
      () => {
        const v = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64chars(43)}`;
        return [{ public_key: v }, [v]];
      },
      () => {
        const v = `****${digits(4)}`;
        return [{ card: v }, [v]];
      },
      () => [
        { city: 'Chattogram', country: 'Bangladesh', region: 'Asia Pacific' },
        ['Chattogram', 'Asia Pacific'],
      ],
      () => [{ color: '#1a2b3c', font: 'Hind Siliguri' }, ['#1a2b3c', 'Hind Siliguri']],
      () => ['0 */6 * * * /usr/local/bin/backup.sh', ['0 */6 * * * /usr/local/bin/backup.sh']],
      () => [{ regex: '^[A-Z]{3}-\\d{4}$', field: 'sku' }, ['^[A-Z]{3}-\\d{4}$']],
      () => [
        '<div class="alert alert-danger">Payment Failed</div>',
        ['<div class="alert alert-danger">Payment Failed</div>'],
      ],
      () => [
        { client_id: 'shop-web-spa', redirect_uri: 'https://shop.example.com/callback' },
        ['shop-web-spa', 'https://shop.example.com/callback'],
      ],
      () => [{ browser: 'Firefox 121.0', os: 'Ubuntu 22.04' }, ['Firefox 121.0', 'Ubuntu 22.04']],
      () => [{ model: 'ThinkPad X1 Carbon Gen 11', warranty: '3 years' }, ['ThinkPad X1 Carbon Gen 11']],
      () => ['Eid Mubarak From Everyone At Daraz', ['Eid Mubarak From Everyone At Daraz']],
      () => [
        { queue: 'emails.high', exchange: 'shop.events', routing_key: 'order.created' },
        ['emails.high', 'order.created'],
      ],
      () => {
        const v = `https://cdn.example.com/img/${hex(16)}.webp`;
        return [{ image: v }, [v]];
      },
      () => [{ jwks_kid: 'sig-2026-11', alg: 'ES256' }, ['sig-2026-11', 'ES256']],
      () => {
        const v = `Iv1.${hex(16)}`;
        return [{ oauth_client_id: v }, [v]];
      },
      () => [
        { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ],
      () => [{ lang: 'bn-BD', title: 'বাংলাদেশের সেরা অনলাইন শপ' }, ['বাংলাদেশের সেরা অনলাইন শপ']],
      () => [{ bucket: 'shop-media-prod', key: 'products/42/main.jpg' }, ['products/42/main.jpg']],
      () => {
        const v = `-----BEGIN CERTIFICATE-----\nMIIB${b64chars(60)}\n-----END CERTIFICATE-----`;
        return [{ cert: v }, [v.split('\n')[1]]];
      },
    ]),
  },
  'negatives-masked-markers': {
    surface: 'values already masked, hashed or redacted (a second pass leaves them alone)',
    anchor: 'issue 16: a masked value is left alone; idempotence',
    count: 20,
    negShare: 1,
    pos: [],
    neg: keepAll([
      () => {
        const v = `****${digits(4)}`;
        return [`paid with ${v}`, [v]];
      },
      () => {
        const v = `017*****${digits(3)}`;
        return [{ phone_masked: v }, [v]];
      },
      () => {
        const v = `${pick(['r', 'n', 't'])}***@gmail.com`;
        return [{ email_hint: v }, [v]];
      },
      () => ['password=[REDACTED] user=ops', ['password=[REDACTED]', 'user=ops']],
      () => {
        const v = `[HASH:email:${lowerAlnum(16)}]`;
        return [{ customer: v }, [v]];
      },
      () => {
        const v = `XXX-XX-${digits(4)}`;
        return [{ ssn_display: v }, [v]];
      },
      () => [
        'call [REDACTED:phone] about [REDACTED:email]',
        ['call [REDACTED:phone] about [REDACTED:email]'],
      ],
      () => {
        const v = `${digits(6)}******${digits(4)}`;
        return [{ masked_pan: v }, [v]];
      },
      () => {
        const v = `•••• •••• •••• ${digits(4)}`;
        return [v, [v]];
      },
      () => ['GET /export?token=[REDACTED]&page=2', ['GET /export?token=[REDACTED]&page=2']],
    ]),
  },
};
