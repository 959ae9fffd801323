// Entity categories (Presidio's predefined recognizers and what our Bangladeshi users hold): each positive is
// written as an app would log it, each hard negative is a look-alike an app logs all day.
import {
  aadhaar,
  bdMobile,
  bengali,
  btcBech32,
  btcLegacy,
  card,
  dateOnly,
  digits,
  email,
  epoch,
  epochMs,
  ethAddress,
  fiscalCode,
  groupCard,
  groupIban,
  hex,
  iban,
  int,
  invoiceNo,
  ipv4,
  ipv6,
  isbn13,
  isoTime,
  itin,
  letters,
  nhs,
  nif,
  nino,
  nonLuhn,
  notCard,
  notNhs,
  notTfn,
  nric,
  orderNo,
  pan,
  person,
  pick,
  price,
  sha1,
  ssn,
  tfn,
  traceId,
  upsTracking,
  upperAlnum,
  uspsTracking,
  uuid,
  version,
} from '../values.mjs';

/** A corpus case: the input, the values that must disappear, the values that must stay verbatim. */
export const c = (input, sensitive, keep = []) => ({ input, sensitive, keep });

const bdWritten = () => {
  const n = bdMobile();
  return pick([
    `+88${n}`,
    `88${n}`,
    n,
    `+880 ${n.slice(1, 5)}-${n.slice(5)}`,
    `+880-${n.slice(1, 5)}-${n.slice(5)}`,
    `${n.slice(0, 5)}-${n.slice(5)}`,
    `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
    `(+880) ${n.slice(1)}`,
    `+880${n.slice(1)}`,
    `00880${n.slice(1)}`,
  ]);
};

export const entityCategories = {
  'credit-cards': {
    surface: 'log message, JSON field, form text',
    anchor: 'Presidio CreditCardRecognizer (Luhn); Sentry Relay @creditcard',
    pos: [
      () => {
        const n = card('4');
        const o = orderNo();
        return c(
          `payment failed for order ${o}: card ${n} declined (insufficient_funds)`,
          [n],
          [o, 'insufficient_funds'],
        );
      },
      () => {
        const n = card('51');
        const g = groupCard(n);
        return c(
          { event: 'checkout.submit', card_number: g, amount: '1499.00', currency: 'BDT' },
          [g],
          ['1499.00', 'checkout.submit'],
        );
      },
      () => {
        const n = card('37');
        const g = groupCard(n);
        return c(`Amex ${g} exp 09/28 charged ৳2,300`, [g], ['৳2,300']);
      },
      () => {
        const n = card('6011');
        const g = groupCard(n, '-');
        return c({ note: `customer read out ${g} over the phone`, ticket: 'SUP-48211' }, [g], ['SUP-48211']);
      },
      () => {
        const n = card('3528');
        return c(
          { payment_method: { type: 'card', pan: n, brand: 'jcb' }, status: 'requires_action' },
          [n],
          ['requires_action', 'jcb'],
        );
      },
      () => {
        const n = card('2221');
        const i = uuid();
        return c(`[${i}] tokenize request body: {"number":"${n}","exp_month":4,"exp_year":2029}`, [n], [i]);
      },
      () => {
        const n = card('36');
        return c(
          { message: `Diners card ${n} not supported`, code: 'card_not_supported' },
          [n],
          ['card_not_supported'],
        );
      },
      () => {
        const n = card('62');
        const g = groupCard(n);
        return c(`UnionPay ${g}`, [g], ['UnionPay']);
      },
      () => {
        const n = card('55');
        return c({ ccnum: n, cvv: String(int(100, 999)), holder: 'on file' }, [n], ['on file']);
      },
      () => {
        const n = card('4');
        return c(
          `stripe.error.CardError: Your card number ${n} is incorrect.`,
          [n],
          ['stripe.error.CardError'],
        );
      },
    ],
    neg: [
      () => {
        const n = notCard(16);
        return c(`shipment ${n} left the warehouse`, [], [n]);
      },
      () => {
        const m = `****${digits(4)}`;
        return c(
          { card: { brand: 'visa', last4: m.slice(4), display: m }, status: 'succeeded' },
          [],
          [m, 'succeeded'],
        );
      },
      () => {
        const m = `${card('4').slice(0, 6)}******${digits(4)}`;
        return c(`card bin/last4 ${m} authorised`, [], [m]);
      },
      () => {
        const n = notCard(16);
        return c({ order_id: n, total: '349.50' }, [], [n, '349.50']);
      },
      () => {
        const t = epochMs();
        const n = `${t}${digits(3)}`;
        return c(`job ${n} done in 412ms`, [], [n, '412ms']);
      },
      () => {
        const x = `XXXX-XXXX-XXXX-${digits(4)}`;
        return c(`card on file: ${x}`, [], [x]);
      },
      () => {
        const i = isbn13();
        return c({ isbn: i, title: 'Padma Nadir Majhi' }, [], [i, 'Padma Nadir Majhi']);
      },
      () => {
        const u = uspsTracking();
        return c(`USPS tracking ${u} delivered`, [], [u]);
      },
      () => {
        const n = notCard(15);
        return c(`warranty serial ${n} registered`, [], [n]);
      },
      () => {
        const n = groupCard(notCard(16));
        return c({ reference: n, kind: 'gift-voucher-batch' }, [], [n, 'gift-voucher-batch']);
      },
    ],
  },
  iban: {
    surface: 'JSON field, text, webhook',
    anchor: 'Presidio IbanRecognizer (ISO 13616 mod 97)',
    pos: [
      () => {
        const v = iban('DE');
        return c(
          { payout: { iban: v, bic: 'DEUTDEFFXXX' }, amount: '250.00' },
          [v],
          ['DEUTDEFFXXX', '250.00'],
        );
      },
      () => {
        const v = groupIban(iban('GB'));
        return c(`refund to ${v} scheduled for ${dateOnly()}`, [v], []);
      },
      () => {
        const v = iban('FR');
        return c(`SEPA transfer from ${v} rejected: AC04 closed account`, [v], ['AC04']);
      },
      () => {
        const v = groupIban(iban('NL'));
        return c({ bank_account: v, holder_type: 'individual' }, [v], ['individual']);
      },
      () => {
        const v = iban('ES');
        return c(`IBAN: ${v}`, [v], ['IBAN']);
      },
      () => {
        const v = iban('IT');
        return c({ beneficiary: { account: v, country: 'IT' } }, [v], []);
      },
      () => {
        const v = iban('SA');
        return c(`wire to ${v} (SAR 12,000.00)`, [v], ['SAR 12,000.00']);
      },
      () => {
        const v = iban('PK');
        return c({ msg: `payout account updated to ${v}`, by: 'user:5521' }, [v], ['user:5521']);
      },
      () => {
        const v = iban('CH');
        return c(`mandate ref MNDT-${digits(6)} debtor ${v}`, [v], []);
      },
      () => {
        const v = groupIban(iban('PL'));
        return c({ rachunek: v }, [v], []);
      },
    ],
    neg: [
      () =>
        c(
          { bic: 'BRAKBDDH', bank: 'BRAC Bank', branch: 'Gulshan' },
          [],
          ['BRAKBDDH', 'BRAC Bank', 'Gulshan'],
        ),
      () => {
        const r = `SEPA-${upperAlnum(10)}`;
        return c(`end-to-end id ${r} accepted`, [], [r]);
      },
      () =>
        c({ swift: 'DEUTDEFF', currency: 'EUR', sort_code_format: 'NN-NN-NN' }, [], ['DEUTDEFF', 'NN-NN-NN']),
      () => {
        const r = `GB${digits(2)}PROMO${digits(4)}`;
        return c({ campaign: r }, [], [r]);
      },
      () => {
        const r = `DE-${digits(5)}`;
        return c(`warehouse ${r} in Hamburg`, [], [r, 'Hamburg']);
      },
      () => {
        const v = `ISO20022 pacs.008.001.${String(int(1, 9)).padStart(2, '0')}`;
        return c(v, [], [v]);
      },
      () => {
        const r = `AT${digits(2)}-ROUTE-${digits(3)}`;
        return c({ route: r }, [], [r]);
      },
      () => {
        const r = upperAlnum(16);
        return c({ stripe_balance_txn: `txn_${r}` }, [], [`txn_${r}`]);
      },
    ],
  },
  email: {
    surface: 'text, JSON, URL, headers',
    anchor: 'Presidio EmailRecognizer; Sentry Relay @email',
    pos: [
      () => {
        const e = email();
        return c(`password reset mail sent to ${e}`, [e], ['password reset mail sent to']);
      },
      () => {
        const e = email();
        return c({ user: { id: `u-${digits(5)}`, email: e, email_verified: true } }, [e], []);
      },
      () => {
        const e = email();
        const q = encodeURIComponent(e);
        return c(`GET /api/v1/users?search=${q}&page=2 200`, [q], ['/api/v1/users', 'page=2']);
      },
      () => {
        const e = email();
        return c(
          `From: "Support" <support@shop.example.com>\nReply-To: ${e}\nSubject: Order issue`,
          [e],
          ['Subject: Order issue'],
        );
      },
      () => {
        const e = email();
        return c(
          {
            message: `duplicate key value violates unique constraint "users_email_key" DETAIL: Key (email)=(${e}) already exists.`,
          },
          [e],
          ['users_email_key'],
        );
      },
      () => {
        const e = email().toUpperCase();
        return c(`LOGIN FAILED FOR ${e}`, [e], ['LOGIN FAILED FOR']);
      },
      () => {
        const e = email();
        return c({ to: [e, email()].join(', ') }, [e], []);
      },
      () => {
        const e = email();
        return c(`mailto:${e}?subject=Invoice`, [e], []);
      },
      () => {
        const e = email();
        return c({ customer: { contact: e, tier: 'gold' } }, [e], ['gold']);
      },
      () => {
        const e = email();
        return c(`smtp: 550 5.1.1 <${e}>: Recipient address rejected`, [e], ['550 5.1.1']);
      },
    ],
    neg: [
      () =>
        c(
          'import { Module } from "@nestjs/common"; // @vigil/redaction',
          [],
          ['@nestjs/common', '@vigil/redaction'],
        ),
      () => {
        const v = `lodash@4.17.${int(10, 21)}`;
        return c(`added ${v}`, [], [v]);
      },
      () =>
        c(
          { remote: 'git@github.com:vigil-org/vigil.git', branch: 'main' },
          [],
          ['git@github.com:vigil-org/vigil.git'],
        ),
      () => {
        const d = `nginx@sha256:${hex(64)}`;
        return c(`image ${d} pulled`, [], [d]);
      },
      () => c('@Injectable() export class OrdersService {}', [], ['@Injectable()']),
      () => c({ handle: '@dhaka_eats', platform: 'twitter' }, [], ['@dhaka_eats']),
      () => {
        const v = `react@18.${int(0, 3)}.${int(0, 9)}`;
        return c({ dep: v }, [], [v]);
      },
      () => c('email_verified=true email_opt_in=false', [], ['email_verified=true', 'email_opt_in=false']),
      () => c({ template: 'welcome_email_v3', channel: 'email' }, [], ['welcome_email_v3']),
      () => c('price @ 3 for ৳100', [], ['price @ 3 for ৳100']),
    ],
  },
  'ip-addresses': {
    surface: 'access log, JSON, text',
    anchor: 'Presidio IpRecognizer; Sentry Relay @ip',
    pos: [
      () => {
        const ip = ipv4();
        return c(
          `${ip} - - [07/Dec/2026:10:12:01 +0000] "GET /cart HTTP/1.1" 200 512`,
          [ip],
          ['GET /cart HTTP/1.1'],
        );
      },
      () => {
        const ip = ipv4();
        return c({ client_ip: ip, path: '/login' }, [ip], ['/login']);
      },
      () => {
        const ip = ipv6();
        return c(`login from ${ip} blocked by rate limit`, [ip], ['blocked by rate limit']);
      },
      () => {
        const ip = ipv4();
        const p = ipv4();
        return c({ headers: { 'x-forwarded-for': `${ip}, ${p}` } }, [ip, p], []);
      },
      () => {
        const ip = ipv4();
        return c(
          `new device sign-in: ${ip} (Chrome/120.0.6099.109 on Windows 10)`,
          [ip],
          ['Chrome/120.0.6099.109'],
        );
      },
      () => {
        const ip = ipv6();
        return c({ actor: { type: 'user', ip } }, [ip], []);
      },
      () => {
        const ip = ipv4();
        return c(`remote_addr=${ip} status=401`, [ip], ['status=401']);
      },
      () => {
        const ip = `::ffff:${ipv4()}`;
        return c({ remoteAddress: ip }, [ip.slice(7)], []);
      },
    ],
    neg: [
      () => c('listening on 127.0.0.1:8000 and 0.0.0.0:9090', [], ['127.0.0.1:8000', '0.0.0.0:9090']),
      () => {
        const v = `10.0.19045.${int(1000, 4000)}`;
        return c({ os: 'Windows', build: v }, [], [v]);
      },
      () => c('SNMP OID 1.3.6.1.4.1.2021.10.1.3.1 polled', [], ['1.3.6.1.4.1.2021.10.1.3.1']),
      () => {
        const v = `${version()}.${int(0, 99)}`;
        return c(`upgraded agent to version ${v}`, [], [v]);
      },
      () => c({ bind: '::', health: 'http://[::1]:8080/health' }, [], ['http://[::1]:8080/health']),
      () => c('cron 10:30:45 run took 00:01:12', [], ['10:30:45', '00:01:12']),
      () =>
        c(
          'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/119.0.6045.199 Safari/537.36',
          [],
          ['Chrome/119.0.6045.199'],
        ),
      () =>
        c(
          { cidr_rule: 'deny 0.0.0.0/0 except vpc', dns: 'resolver-1.internal' },
          [],
          ['0.0.0.0/0', 'resolver-1.internal'],
        ),
    ],
  },
  'phones-international': {
    surface: 'text, JSON',
    anchor: 'Presidio PhoneRecognizer (libphonenumber, many regions)',
    pos: [
      () => {
        const p = `+1 (${int(201, 989)}) ${int(200, 989)}-${digits(4)}`;
        return c(`callback requested: ${p}`, [p], ['callback requested']);
      },
      () => {
        const p = `+44 7${digits(3)} ${digits(6)}`;
        return c({ phone: p, country: 'GB' }, [p], []);
      },
      () => {
        const p = `+49 1${int(51, 79)} ${digits(8)}`;
        return c(`SMS an ${p} zugestellt`, [p], ['zugestellt']);
      },
      () => {
        const p = `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
        return c({ telephone: p }, [p], []);
      },
      () => {
        const p = `+91 ${int(70, 99)}${digits(3)} ${digits(5)}`;
        return c(`OTP sent to ${p}`, [p], ['OTP sent to']);
      },
      () => {
        const p = `+65 ${int(8, 9)}${digits(3)} ${digits(4)}`;
        return c({ contact_number: p }, [p], []);
      },
      () => {
        const p = `+61 4${digits(2)} ${digits(3)} ${digits(3)}`;
        return c(`courier will call ${p}`, [p], []);
      },
      () => {
        const p = `+55 11 9${digits(4)}-${digits(4)}`;
        return c({ whatsapp: p }, [p], []);
      },
      () => {
        const p = `+81 90-${digits(4)}-${digits(4)}`;
        return c(`電話: ${p}`, [p], []);
      },
      () => {
        const p = `(${int(201, 989)}) ${int(200, 989)}-${digits(4)}`;
        return c(`Customer called from ${p} about order ${orderNo()}`, [p], []);
      },
      () => {
        const p = `+971 5${digits(1)} ${digits(3)} ${digits(4)}`;
        return c({ mobile: p, verified: false }, [p], []);
      },
      () => {
        const p = `+234 80${digits(1)} ${digits(3)} ${digits(4)}`;
        return c(`twilio: message to ${p} queued`, [p], ['queued']);
      },
    ],
    neg: [
      () => {
        const e = epoch();
        return c({ ts: Number(e), event: 'heartbeat' }, [], [e]);
      },
      () => {
        const n = orderNo();
        return c(`order ${n} shipped`, [], [n]);
      },
      () => {
        const v = `${int(100, 999)}-${int(100, 999)}-${digits(3)}`;
        return c({ sku: `SKU ${v}` }, [], [v]);
      },
      () => {
        const d = `${int(100, 9999)} ms`;
        return c(`db query took ${d}`, [], [d]);
      },
      () => {
        const i = isbn13();
        return c(
          `ISBN ${i.slice(0, 3)}-${i.slice(3, 4)}-${i.slice(4, 8)}-${i.slice(8, 12)}-${i.slice(12)}`,
          [],
          [i.slice(4, 8)],
        );
      },
      () => {
        const t = upsTracking();
        return c({ carrier: 'UPS', tracking_number: t }, [], [t]);
      },
      () => {
        const v = `2026-12-07 ${String(int(10, 23))}:${String(int(10, 59))}:${String(int(10, 59))}`;
        return c(`started ${v}`, [], [v]);
      },
      () => {
        const n = `${int(1, 9)}${digits(9)}`;
        return c({ row_count: Number(n) }, [], [n]);
      },
      () =>
        c('HTTP/1.1 503 Service Unavailable (retry after 120 s)', [], ['503 Service Unavailable', '120 s']),
      () => {
        const v = `+${int(1, 40)}.${digits(2)}%`;
        return c(`revenue ${v} week over week`, [], [v]);
      },
    ],
  },
  'bd-phones': {
    surface: 'text, JSON, SMS gateway logs',
    anchor: 'BTRC numbering plan: +880 1[3-9]XXXXXXXX in every written form',
    count: 24,
    pos: [
      () => {
        const p = bdWritten();
        return c(`SMS to ${p} failed: timeout`, [p], ['failed: timeout']);
      },
      () => {
        const p = bdWritten();
        return c({ phone: p, operator: 'GP' }, [p], ['GP']);
      },
      () => {
        const p = bdWritten();
        return c(`OTP ${digits(6)} পাঠানো হয়েছে ${p} নম্বরে`, [p], ['পাঠানো হয়েছে']);
      },
      () => {
        const p = bdWritten();
        return c({ msg: `rider will call ${p}`, order: orderNo() }, [p], []);
      },
      () => {
        const p = bdWritten();
        return c(`customer_mobile=${p} area=Mirpur`, [p], ['area=Mirpur']);
      },
      () => {
        const p = bdWritten();
        return c({ delivery: { recipient_phone: p, city: 'Chattogram' } }, [p], ['Chattogram']);
      },
      () => {
        const p = bdWritten();
        return c(`যোগাযোগ: ${p}`, [p], ['যোগাযোগ']);
      },
      () => {
        const p = bdWritten();
        return c(
          `sslcommerz ipn: cus_phone=${encodeURIComponent(p)}&tran_id=TXN${digits(8)}`,
          [encodeURIComponent(p)],
          [],
        );
      },
    ],
    neg: [
      () => {
        const v = `1${int(7, 7)}${digits(8)}`;
        return c({ created: Number(v), unit: 'epoch seconds' }, [], [v]);
      },
      () => {
        const v = `17${digits(11)}`;
        return c(`event_ts=${v}`, [], [v]);
      },
      () => {
        const v = `INV-BD-${digits(8)}`;
        return c({ invoice: v }, [], [v]);
      },
      () => {
        const v = `৳${int(1, 99)},${digits(3)}.00`;
        return c(`balance ${v}`, [], [v]);
      },
      () => {
        const v = `${int(1, 9)}${digits(10)}`;
        return c({ tracking_code: `PATHAO-${v}` }, [], [`PATHAO-${v}`]);
      },
      () => {
        const v = `Dhaka-${int(1000, 1399)}`;
        return c(`postcode ${v}`, [], [v]);
      },
      () => {
        const v = `TrxID ${upperAlnum(10)}`;
        return c(`bKash payment ${v} completed`, [], [v]);
      },
      () => {
        const v = `01${digits(2)}-${digits(2)}-${digits(4)}`;
        return c(`batch ${v}`, [], [v]);
      },
    ],
  },
  'bengali-digits': {
    surface: 'Bengali text, JSON',
    anchor: 'Unicode Bengali digits U+09E6–U+09EF written where ASCII digits would be',
    pos: [
      () => {
        const p = bengali(bdMobile());
        return c(`গ্রাহকের মোবাইল: ${p}`, [p], ['গ্রাহকের মোবাইল']);
      },
      () => {
        const p = bengali(`+88${bdMobile()}`);
        return c({ mobile: p }, [p], []);
      },
      () => {
        const n = bengali(`${int(1, 9)}${digits(9)}`);
        return c(`জাতীয় পরিচয়পত্র নম্বর: ${n}`, [n], ['জাতীয় পরিচয়পত্র নম্বর']);
      },
      () => {
        const n = bdMobile();
        const p = bengali(`${n.slice(0, 5)}-${n.slice(5)}`);
        return c(`বিকাশ নম্বর ${p} এ টাকা পাঠান`, [p], ['টাকা পাঠান']);
      },
      () => {
        const n = bengali(`19${int(70, 99)}${digits(13)}`);
        return c({ nid: n, name_bn: 'গ্রাহক' }, [n], ['গ্রাহক']);
      },
      () => {
        const p = bengali(bdMobile());
        return c(`ফোন ${p}, ঠিকানা ধানমন্ডি`, [p], ['ধানমন্ডি']);
      },
      () => {
        const d = bengali(`${int(1, 28)}/${int(1, 12)}/19${int(60, 99)}`);
        return c({ 'জন্ম তারিখ': d }, [d], ['জন্ম তারিখ']);
      },
      () => {
        const p = bengali(bdMobile());
        return c(`নগদ ${p}`, [p], ['নগদ']);
      },
    ],
    neg: [
      () => {
        const v = `৳${bengali(`${int(1, 9)},${digits(3)}`)}`;
        return c(`মোট মূল্য ${v}`, [], [v]);
      },
      () => {
        const v = bengali(dateOnly());
        return c({ 'ডেলিভারির তারিখ': v }, [], [v]);
      },
      () => {
        const v = bengali(String(int(1, 500)));
        return c(`${v} টি পণ্য স্টকে আছে`, [], [`${v} টি পণ্য`]);
      },
      () => {
        const v = bengali(`${int(1, 12)}:${String(int(0, 59)).padStart(2, '0')}`);
        return c(`সময় ${v}`, [], [v]);
      },
      () => {
        const v = bengali(`অর্ডার #${digits(6)}`);
        return c(v, [], [v]);
      },
      () => {
        const v = bengali(`${int(1, 99)}%`);
        return c({ discount: v }, [], [v]);
      },
      () => {
        const v = bengali(`কক্ষ ${int(100, 999)}`);
        return c(v, [], [v]);
      },
      () => {
        const v = bengali(`${int(2024, 2026)} সাল`);
        return c(v, [], [v]);
      },
    ],
  },
  'bd-nid': {
    surface: 'KYC JSON, text',
    anchor: 'Bangladesh NID: 10-digit smart card, 13-digit and 17-digit (birth year + 13) old cards',
    count: 22,
    pos: [
      () => {
        const n = `${int(1, 9)}${digits(9)}`;
        return c({ kyc: { nid: n, status: 'verified' } }, [n], ['verified']);
      },
      () => {
        const n = `${int(1, 9)}${digits(12)}`;
        return c(`NID ${n} mismatch with EC database`, [n], ['EC database']);
      },
      () => {
        const n = `19${int(60, 99)}${digits(13)}`;
        return c({ national_id: n, doc_type: 'old_nid' }, [n], ['old_nid']);
      },
      () => {
        const n = `${int(1, 9)}${digits(9)}`;
        return c(`nid_number=${n} porichoy_status=MATCHED`, [n], ['porichoy_status=MATCHED']);
      },
      () => {
        const n = `${int(1, 9)}${digits(2)} ${digits(3)} ${digits(4)}`;
        return c(`NID: ${n}`, [n], []);
      },
      () => {
        const n = `20${int(0, 5)}${digits(14)}`;
        return c({ 'জাতীয় পরিচয়পত্র': n }, [n], ['জাতীয় পরিচয়পত্র']);
      },
      () => {
        const n = `${int(1, 9)}${digits(12)}`;
        return c({ documents: [{ type: 'NID', number: n }] }, [n], []);
      },
      () => {
        const n = `${int(1, 9)}${digits(9)}`;
        return c(`Smart card ${n} uploaded by agent`, [n], []);
      },
      () => {
        const n = `19${int(60, 99)}${digits(13)}`;
        return c(`birth registration no. ${n}`, [n], []);
      },
      () => {
        const n = `${int(1, 9)}${digits(9)}`;
        return c({ customer: { nidNo: n } }, [n], []);
      },
      () => {
        const n = `${int(1, 9)}${digits(9)}`;
        return c(`national id card number is ${n}, please verify`, [n], ['please verify']);
      },
    ],
    neg: [
      () => {
        const v = epoch();
        return c({ created_at: Number(v) }, [], [v]);
      },
      () => {
        const v = epochMs();
        return c(`ts=${v} level=info`, [], [v]);
      },
      () => {
        const v = `${int(1, 9)}${digits(9)}`;
        return c({ order_id: v, status: 'paid' }, [], [v]);
      },
      () => {
        const v = nonLuhn(`${int(1, 9)}${digits(12)}`);
        return c(`kafka offset ${v} committed`, [], [v]);
      },
      () => {
        const v = nonLuhn(`${int(1, 9)}${digits(16)}`);
        return c({ snowflake_id: v }, [], [v]);
      },
      () => {
        const v = `${int(1, 9)}${digits(9)}`;
        return c(`invoice_no=${v} amount=1200`, [], [v]);
      },
      () => {
        const v = `${int(1, 9)}${digits(9)}`;
        return c({ bytes_sent: Number(v) }, [], [v]);
      },
      () => {
        const v = nonLuhn(`${int(1, 9)}${digits(12)}`);
        return c(`Discord message id ${v}`, [], [v]);
      },
      () => {
        const v = `nid_verified=true nid_attempts=${int(1, 3)}`;
        return c(v, [], [v]);
      },
      () => {
        const v = `${int(1, 9)}${digits(9)}`;
        return c({ ticket: `JIRA-${v}` }, [], [`JIRA-${v}`]);
      },
      () => {
        const v = `${int(1, 9)}${digits(9)}`;
        return c({ stock_movement_id: v }, [], [v]);
      },
    ],
  },
  'bd-mobile-wallets': {
    surface: 'payment JSON, webhook, text',
    anchor: 'bKash, Nagad (11-digit account), Rocket (12-digit: mobile + check digit)',
    pos: [
      () => {
        const n = bdMobile();
        return c({ metadata: { bkash_number: n, trx_id: `TRX${upperAlnum(7)}` } }, [n], []);
      },
      () => {
        const n = bdMobile();
        return c(`bKash cash-out from ${n} ৳5,000 fee ৳92.50`, [n], ['৳92.50']);
      },
      () => {
        const n = `${bdMobile()}${int(0, 9)}`;
        return c({ rocket_account: n, amount: 1500 }, [n], []);
      },
      () => {
        const n = bdMobile();
        return c({ wallet: { provider: 'nagad', account: n } }, [n], ['nagad']);
      },
      () => {
        const n = bdMobile();
        return c(`payerReference=${n}&merchantInvoiceNumber=${invoiceNo()}`, [n], []);
      },
      () => {
        const n = bdMobile();
        return c(
          { customerMsisdn: n, paymentID: `TR00${upperAlnum(14)}`, transactionStatus: 'Completed' },
          [n],
          ['Completed'],
        );
      },
      () => {
        const n = bdMobile();
        return c(`নগদ একাউন্ট ${n} থেকে টাকা এসেছে`, [n], ['টাকা এসেছে']);
      },
      () => {
        const n = `${bdMobile()}${int(0, 9)}`;
        return c(`Rocket a/c ${n} (DBBL)`, [n], ['DBBL']);
      },
      () => {
        const n = bdMobile();
        return c({ payout_method: 'bkash', payout_to: n }, [n], ['bkash']);
      },
      () => {
        const n = bdMobile();
        return c(
          `[nagad] callback: {"issuerPaymentRefNo":"${upperAlnum(8)}","clientMobileNo":"${n.slice(0, 3)}****${n.slice(-4)}","customerMsisdn":"${n}"}`,
          [n],
          [],
        );
      },
    ],
    neg: [
      () => {
        const t = upperAlnum(10);
        return c({ trxID: t, amount: '500.00', currency: 'BDT' }, [], [t, '500.00']);
      },
      () => {
        const m = `017****${digits(4)}`;
        return c({ clientMobileNo: m }, [], [m]);
      },
      () => {
        const p = `TR0011${upperAlnum(12)}`;
        return c(`bKash paymentID ${p} created`, [], [p]);
      },
      () => c({ provider: 'rocket', fee_percent: 1.8, merchant: 'Daraz' }, [], ['1.8', 'Daraz']),
      () => {
        const v = `৳${int(10, 9999)}.${digits(2)}`;
        return c(`wallet balance ${v}`, [], [v]);
      },
      () => {
        const v = `MID-${digits(6)}`;
        return c({ merchant_id: v, shortcode: '16247' }, [], [v, '16247']);
      },
      () =>
        c('bkash.tokenized.checkout.create 200 in 812 ms', [], ['bkash.tokenized.checkout.create', '812 ms']),
      () => {
        const v = `NGD${digits(12)}`;
        return c({ orderId: v }, [], [v]);
      },
      () => c({ coins: 12500, gems: 340, wallet_level: 7 }, [], ['12500', '340']),
      () => {
        const v = `01${digits(2)}${digits(2)}`;
        return c(`sprint ${v}`, [], [v]);
      },
    ],
  },
  'us-ssn-itin': {
    surface: 'text, JSON, forms',
    anchor: 'Presidio UsSsnRecognizer, UsItinRecognizer',
    pos: [
      () => {
        const v = ssn();
        return c({ applicant: { ssn: v } }, [v], []);
      },
      () => {
        const v = ssn();
        return c(`SSN ${v} failed verification`, [v], ['failed verification']);
      },
      () => {
        const v = ssn(' ');
        return c(`social security number: ${v}`, [v], []);
      },
      () => {
        const v = itin();
        return c({ taxpayer: { itin: v, form: 'W-7' } }, [v], ['W-7']);
      },
      () => {
        const v = itin();
        return c(`ITIN ${v} on 1040 return`, [v], ['1040']);
      },
      () => {
        const v = ssn('');
        return c({ ssn: v }, [v], []);
      },
      () => {
        const v = ssn();
        return c(`background check for ${v} queued (ref BGC-${digits(5)})`, [v], []);
      },
      () => {
        const v = itin(' ');
        return c(`individual taxpayer id: ${v}`, [v], []);
      },
    ],
    neg: [
      () => {
        const v = `${digits(5)}-${digits(4)}`;
        return c({ zip: v }, [], [v]);
      },
      () => {
        const v = `000-${digits(2)}-${digits(4)}`;
        return c(`test fixture id ${v}`, [], [v]);
      },
      () => {
        const v = `${dateOnly()}`;
        return c(`report for ${v}`, [], [v]);
      },
      () => {
        const v = `${digits(3)}-${digits(3)}-${digits(3)}`;
        return c({ part_no: v }, [], [v]);
      },
      () => {
        const v = `${int(100, 999)}-${digits(2)}-${digits(5)}`;
        return c(`case ${v}`, [], [v]);
      },
      () => {
        const v = `666-${digits(2)}-${digits(4)}`;
        return c({ placeholder: v }, [], [v]);
      },
      () => c('form W-9 received, SSN field left blank', [], ['form W-9 received']),
      () => {
        const v = `${digits(3)}.${digits(2)}.${digits(4)}`;
        return c({ gl_account: v }, [], [v]);
      },
    ],
  },
  'uk-nhs-nino': {
    surface: 'text, JSON',
    anchor: 'Presidio NhsRecognizer (mod 11), UkNinoRecognizer',
    pos: [
      () => {
        const v = nhs();
        return c({ patient: { nhs_number: v } }, [v], []);
      },
      () => {
        const v = nhs();
        const s = `${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}`;
        return c(`NHS number ${s} referred to GP`, [s], ['referred to GP']);
      },
      () => {
        const v = nino();
        return c({ employee: { ni_number: v, payroll: 'monthly' } }, [v], ['monthly']);
      },
      () => {
        const v = nino();
        const s = `${v.slice(0, 2)} ${v.slice(2, 4)} ${v.slice(4, 6)} ${v.slice(6, 8)} ${v.slice(8)}`;
        return c(`National Insurance: ${s}`, [s], []);
      },
      () => {
        const v = nhs();
        const s = `${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6)}`;
        return c(`appointment booked, nhs no ${s}`, [s], ['appointment booked']);
      },
      () => {
        const v = nino();
        return c(`HMRC RTI submission for NINO ${v} accepted`, [v], ['accepted']);
      },
    ],
    neg: [
      () => {
        const v = notNhs();
        return c({ invoice_number: v }, [], [v]);
      },
      () => c({ postcode_area: 'SW1A', form: 'P60' }, [], ['SW1A', 'P60']),
      () => {
        const v = `QQ-TEMPLATE-${digits(3)}`;
        return c(v, [], [v]);
      },
      () => {
        const v = `GB${digits(9)}`;
        return c({ vat_number: v }, [], [v]);
      },
      () => {
        const v = `${digits(2)}-${digits(2)}-${digits(2)}`;
        return c({ sort_code: v }, [], [v]);
      },
      () => c('NHS 111 online triage completed in 4 min', [], ['NHS 111', '4 min']),
    ],
  },
  'in-pan-aadhaar': {
    surface: 'KYC JSON, text',
    anchor: 'Presidio InPanRecognizer, InAadhaarRecognizer (Verhoeff)',
    pos: [
      () => {
        const v = pan();
        return c({ kyc: { pan: v, status: 'pending' } }, [v], ['pending']);
      },
      () => {
        const v = aadhaar();
        return c(`aadhaar ${v} eKYC success`, [v], ['eKYC success']);
      },
      () => {
        const v = aadhaar();
        const s = `${v.slice(0, 4)} ${v.slice(4, 8)} ${v.slice(8)}`;
        return c({ aadhaar_number: s }, [s], []);
      },
      () => {
        const v = pan();
        return c(`PAN ${v} linked to account`, [v], ['linked to account']);
      },
      () => {
        const v = aadhaar();
        const s = `${v.slice(0, 4)}-${v.slice(4, 8)}-${v.slice(8)}`;
        return c(`UIDAI auth failed for ${s}`, [s], ['UIDAI']);
      },
      () => {
        const v = pan();
        return c({ taxInfo: { panNumber: v, gstRegistered: false } }, [v], []);
      },
      () => {
        const v = aadhaar();
        return c({ uid: v, consent: 'Y' }, [v], []);
      },
      () => {
        const v = pan();
        return c(`Form 16 generated for PAN: ${v}`, [v], ['Form 16']);
      },
    ],
    neg: [
      () => c({ ifsc: 'HDFC0001234', bank: 'HDFC Bank' }, [], ['HDFC0001234']),
      () => {
        const v = `${int(0, 1)}${digits(11)}`;
        return c(`order ${v} placed`, [], [v]);
      },
      () => c({ hsn_code: '84713010', gst_rate: 18 }, [], ['84713010']),
      () => {
        const v = `MAA${digits(4)}`;
        return c(`flight AI${digits(3)} gate ${v}`, [], [v]);
      },
      () => {
        const v = `${digits(6)}`;
        return c({ pincode: v, city: 'Bengaluru' }, [], [v, 'Bengaluru']);
      },
      () => {
        const v = `UPI-${digits(12)}`;
        return c({ utr: v }, [], [v]);
      },
      () => c('ABCDE is a placeholder, enter your PAN', [], ['ABCDE is a placeholder']),
      () => {
        const v = `${int(2, 9)}${digits(3)} ${digits(4)}`;
        return c(`room ${v}`, [], [v]);
      },
    ],
  },
  'sg-nric': {
    surface: 'JSON, text',
    anchor: 'Presidio SgFinRecognizer (NRIC/FIN with check letter)',
    count: 14,
    pos: [
      () => {
        const v = nric();
        return c({ nric: v, residency: 'citizen' }, [v], ['citizen']);
      },
      () => {
        const v = nric();
        return c(`Singpass login for ${v} succeeded`, [v], ['Singpass']);
      },
      () => {
        const v = nric();
        return c({ fin: v, pass_type: 'EP' }, [v], ['EP']);
      },
      () => {
        const v = nric();
        return c(`NRIC No.: ${v}\nClinic: Raffles Medical`, [v], ['Clinic: Raffles Medical']);
      },
      () => {
        const v = nric();
        return c({ applicant: { id_type: 'NRIC', id_number: v.toLowerCase() } }, [v.toLowerCase()], ['NRIC']);
      },
      () => {
        const v = nric();
        return c(`myinfo: uinfin=${v} retrieved`, [v], ['retrieved']);
      },
      () => {
        const v = nric();
        return c({ message: `duplicate registration for ${v}`, code: 'E409' }, [v], ['E409']);
      },
    ],
    neg: [
      () => c({ flight: 'SQ321', seat: '42K' }, [], ['SQ321', '42K']),
      () => {
        const v = `S${digits(7)}`;
        return c(`sku ${v}`, [], [v]);
      },
      () => {
        const v = `UEN ${digits(9)}${letters(1)}`;
        return c(v, [], [v]);
      },
      () => c({ iso_country: 'SGP', currency: 'SGD', gst: 9 }, [], ['SGP', 'SGD']),
      () => {
        const v = `Singapore ${digits(6)}`;
        return c({ postal: v }, [], [v]);
      },
      () => {
        const v = `T${digits(4)}`;
        return c({ terminal_gate: v }, [], [v]);
      },
      () => c('NRIC field masked as S****567D per PDPA', [], ['S****567D']),
    ],
  },
  'au-tfn': {
    surface: 'JSON, text',
    anchor: 'Presidio AuTfnRecognizer (weighted mod 11)',
    count: 14,
    pos: [
      () => {
        const v = tfn();
        const s = `${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}`;
        return c(`TFN ${s} lodged with ATO`, [s], ['ATO']);
      },
      () => {
        const v = tfn();
        return c({ tax_file_number: v }, [v], []);
      },
      () => {
        const v = tfn();
        return c(`payg summary tfn=${v}`, [v], []);
      },
      () => {
        const v = tfn();
        const s = `${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6)}`;
        return c({ employee: { tfn: s, super_fund: 'AustralianSuper' } }, [s], ['AustralianSuper']);
      },
      () => {
        const v = tfn();
        return c(`Tax file number: ${v}`, [v], []);
      },
      () => {
        const v = tfn();
        return c({ onboarding: { step: 'tax', taxFileNumber: v } }, [v], ['tax']);
      },
      () => {
        const v = tfn();
        return c(`STP event for employee 4412 (TFN ${v}) accepted`, [v], ['accepted']);
      },
    ],
    neg: [
      () => {
        const v = `${digits(2)} ${digits(3)} ${digits(3)} ${digits(3)}`;
        return c({ abn: v, entity: 'Pty Ltd' }, [], [v]);
      },
      () => {
        const v = notTfn();
        return c({ asx_order: v }, [], [v]);
      },
      () => {
        const v = `BSB ${digits(3)}-${digits(3)}`;
        return c(v, [], [v]);
      },
      () => {
        const v = `ACN ${digits(3)} ${digits(3)} ${digits(3)}`;
        return c(v, [], [v]);
      },
      () => c({ state: 'NSW', postcode: '2000' }, [], ['NSW', '2000']),
      () => {
        const t = notTfn();
        const v = `${t.slice(0, 3)} ${t.slice(3, 6)} ${t.slice(6)}`;
        return c(`consignment ${v} with Australia Post`, [], [v]);
      },
      () => c('TFN declaration form received, number not quoted', [], ['TFN declaration form received']),
    ],
  },
  'es-nif': {
    surface: 'JSON, text',
    anchor: 'Presidio EsNifRecognizer (DNI and NIE with mod 23 letter)',
    count: 14,
    pos: [
      () => {
        const v = nif();
        return c({ dni: v, pais: 'ES' }, [v], []);
      },
      () => {
        const v = nif('nie');
        return c(`NIE ${v} pendiente de verificar`, [v], ['pendiente de verificar']);
      },
      () => {
        const v = nif();
        return c(`NIF: ${v}`, [v], []);
      },
      () => {
        const v = nif();
        const s = `${v.slice(0, 8)}-${v.slice(8)}`;
        return c({ cliente: { documento: s } }, [s], []);
      },
      () => {
        const v = nif('nie');
        return c({ nie: v, permiso: 'residencia' }, [v], ['residencia']);
      },
      () => {
        const v = nif();
        return c(`factura emitida a DNI ${v}`, [v], ['factura emitida']);
      },
      () => {
        const v = nif();
        return c({ message: `el documento ${v} ya está registrado` }, [v], ['ya está registrado']);
      },
    ],
    neg: [
      () => {
        const v = `B${digits(8)}`;
        return c({ cif_empresa: v }, [], [v]);
      },
      () => {
        const v = `ES-${digits(2)}-MAD`;
        return c({ region: v }, [], [v]);
      },
      () => {
        const v = `${digits(5)}`;
        return c({ codigo_postal: v, ciudad: 'Madrid' }, [], [v, 'Madrid']);
      },
      () => {
        const v = `PED-${digits(8)}`;
        return c(`pedido ${v} enviado`, [], [v]);
      },
      () => {
        const v = `${digits(4)} ${letters(3)}`;
        return c({ matricula_flota: `furgoneta ${v}` }, [], [v]);
      },
      () => c({ iva: '21%', moneda: 'EUR' }, [], ['21%']),
      () => c('DNI no aportado por el cliente', [], ['DNI no aportado por el cliente']),
    ],
  },
  'it-fiscal-code': {
    surface: 'JSON, text',
    anchor: 'Presidio ItFiscalCodeRecognizer (16 characters with check character)',
    count: 14,
    pos: [
      () => {
        const v = fiscalCode();
        return c({ codice_fiscale: v }, [v], []);
      },
      () => {
        const v = fiscalCode();
        return c(`fattura intestata a CF ${v}`, [v], ['fattura intestata']);
      },
      () => {
        const v = fiscalCode();
        return c(`Codice Fiscale: ${v}`, [v], []);
      },
      () => {
        const v = fiscalCode();
        return c({ paziente: { cf: v, reparto: 'cardiologia' } }, [v], ['cardiologia']);
      },
      () => {
        const v = fiscalCode();
        return c(`SPID login ${v.toLowerCase()} ok`, [v.toLowerCase()], ['SPID login']);
      },
      () => {
        const v = fiscalCode();
        return c(
          { message: `codice fiscale ${v} non valido per la data`, field: 'cf' },
          [v],
          ['non valido per la data'],
        );
      },
      () => {
        const v = fiscalCode();
        return c(`tessera sanitaria ${v} scadenza 2029-04-30`, [v], ['scadenza 2029-04-30']);
      },
    ],
    neg: [
      () => {
        const v = `IT${digits(11)}`;
        return c({ partita_iva: v }, [], [v]);
      },
      () => c('modello 730 inviato, nessun codice fiscale allegato', [], ['modello 730 inviato']),
      () => {
        const v = `ORD${letters(3)}${digits(10)}`;
        return c({ ordine: v }, [], [v]);
      },
      () => {
        const v = `${digits(5)}`;
        return c({ cap: v, citta: 'Milano' }, [], [v, 'Milano']);
      },
      () => {
        const v = `IT60X0542811101000000${digits(6)}`.slice(0, 16);
        return c({ riferimento_bonifico: `RIF-${v.slice(4)}` }, [], [`RIF-${v.slice(4)}`]);
      },
      () => c({ regione: 'Lombardia', provincia: 'MI' }, [], ['Lombardia']),
      () => c('PEC inviata a protocollo@pec.comune.example.it', [], ['PEC inviata']),
    ],
  },
  'crypto-wallets': {
    surface: 'JSON, text',
    anchor: 'Presidio CryptoRecognizer (BTC base58check, bech32); Ethereum 0x addresses',
    pos: [
      () => {
        const v = btcLegacy();
        return c({ withdraw_to: v, asset: 'BTC' }, [v], ['BTC']);
      },
      () => {
        const v = btcLegacy('p2sh');
        return c(`deposit address ${v} credited`, [v], ['credited']);
      },
      () => {
        const v = btcBech32();
        return c({ address: v, network: 'bitcoin' }, [v], ['bitcoin']);
      },
      () => {
        const v = ethAddress();
        return c(`payout to ${v} (ERC-20 USDT)`, [v], ['ERC-20 USDT']);
      },
      () => {
        const v = ethAddress();
        return c({ wallet_address: v, chain_id: 1 }, [v], []);
      },
      () => {
        const v = btcBech32();
        return c(`user withdrew 0.0042 BTC to ${v}`, [v], ['0.0042 BTC']);
      },
      () => {
        const v = btcLegacy();
        return c(`bitcoin:${v}?amount=0.01`, [v], ['amount=0.01']);
      },
      () => {
        const v = ethAddress();
        return c({ from: v, value_wei: '1000000000000000' }, [v], ['1000000000000000']);
      },
    ],
    neg: [
      () => {
        const v = sha1();
        return c({ commit: v }, [], [v]);
      },
      () => {
        const v = `0x${hex(64)}`;
        return c({ tx_hash: v, block: 19_000_000 + int(1, 99999) }, [], [v]);
      },
      () => {
        const v = `sha256:${hex(64)}`;
        return c(`layer ${v} pushed`, [], [v]);
      },
      () => c({ asset: 'USDT', decimals: 6, network: 'ERC-20' }, [], ['USDT', 'ERC-20']),
      () => {
        const v = `0x${hex(8)}`;
        return c(`panic code ${v}`, [], [v]);
      },
      () => {
        const v = traceId();
        return c({ trace_id: v }, [], [v]);
      },
      () => {
        const v = `1${upperAlnum(6)}`;
        return c({ coupon: v }, [], [v]);
      },
      () => c('wallet_connected=true chain=bitcoin-testnet', [], ['wallet_connected=true']),
    ],
  },
  'dob-context': {
    surface: 'JSON, text, forms',
    anchor: 'Presidio DateRecognizer raised by birth context words; Sentry Relay field list',
    pos: [
      () => {
        const d = dateOnly(1950, 2005);
        return c({ date_of_birth: d, plan: 'premium' }, [d], ['premium']);
      },
      () => {
        const d = `${int(1, 28)}/${String(int(1, 12)).padStart(2, '0')}/19${int(50, 99)}`;
        return c(`DOB: ${d}`, [d], []);
      },
      () => {
        const d = `${int(1, 28)} ${pick(['March', 'April', 'June', 'October'])} 19${int(50, 99)}`;
        return c(`patient born on ${d} admitted to ward 4`, [d], ['ward 4']);
      },
      () => {
        const d = dateOnly(1950, 2005);
        return c({ user: { birthday: d, locale: 'bn-BD' } }, [d], ['bn-BD']);
      },
      () => {
        const d = dateOnly(1950, 2005);
        return c(`birth_date=${d} gender=F`, [d], []);
      },
      () => {
        const d = dateOnly(1950, 2005);
        return c({ profile: { dob: d } }, [d], []);
      },
      () => {
        const d = `${String(int(1, 12)).padStart(2, '0')}/${String(int(1, 28)).padStart(2, '0')}/19${int(50, 99)}`;
        return c(`Date of birth ${d} does not match records`, [d], ['does not match records']);
      },
      () => {
        const d = dateOnly(1950, 2005);
        return c({ fecha_de_nacimiento: d }, [d], []);
      },
      () => {
        const d = dateOnly(1950, 2005);
        return c({ Geburtsdatum: d }, [d], []);
      },
      () => {
        const d = dateOnly(1950, 2005);
        return c({ changes: { date_of_birth: { before: null, after: d } } }, [d], []);
      },
    ],
    neg: [
      () => {
        const d = dateOnly();
        return c({ created_at: d, status: 'open' }, [], [d]);
      },
      () => {
        const d = `${int(1, 28)} March 2026`;
        return c(`shipped on ${d}`, [], [d]);
      },
      () => {
        const d = dateOnly(2026, 2029);
        return c({ card_expiry_notice: `expires ${d}` }, [], [d]);
      },
      () => {
        const d = dateOnly();
        return c(`release v${version()} published ${d}`, [], [d]);
      },
      () => {
        const d = dateOnly();
        return c({ campaign_start: d, campaign: 'birthday-promo' }, [], [d, 'birthday-promo']);
      },
      () => {
        const d = isoTime();
        return c({ last_login: d }, [], [d]);
      },
      () => {
        const d = dateOnly();
        return c(`invoice due ${d}`, [], [d]);
      },
      () => {
        const d = `19${int(50, 99)}`;
        return c({ founded: d, company: 'Square Pharmaceuticals' }, [], [d, 'Square Pharmaceuticals']);
      },
      () => {
        const d = dateOnly();
        return c({ password_changed_at: d }, [], [d]);
      },
      () => {
        const d = dateOnly();
        return c({ date: d, count: int(1, 99) }, [], [d]);
      },
    ],
  },
  'person-names': {
    surface: 'text, JSON',
    anchor: 'Presidio SpacyRecognizer PERSON by structure: name keys, salutations, signatures',
    pos: [
      () => {
        const p = person();
        return c({ full_name: p, tier: 'gold' }, [p], ['gold']);
      },
      () => {
        const p = person();
        return c(`Dear ${p},\nyour order has shipped.`, [p], ['your order has shipped']);
      },
      () => {
        const p = person();
        return c(
          { customer: { first_name: p.split(' ')[0], last_name: p.split(' ')[1] } },
          [p.split(' ')[1]],
          [],
        );
      },
      () => {
        const p = person();
        return c(`Mr. ${p} requested account deletion`, [p], ['requested account deletion']);
      },
      () => {
        const p = person();
        return c({ name: p, role: 'rider' }, [p], ['rider']);
      },
      () => {
        const p = person();
        return c(`Thanks,\n${p}\nSupport Team`, [p], ['Support Team']);
      },
      () => {
        const p = person();
        return c({ emergency_contact: { name: p, relation: 'spouse' } }, [p], []);
      },
      () => {
        const p = person();
        return c({ cardholder_name: p.toUpperCase() }, [p.toUpperCase()], []);
      },
      () => {
        const p = person();
        return c(`patient: ${p}, ward 3B`, [p], ['ward 3B']);
      },
      () => {
        const p = person();
        return c({ recipient: { name: p, city: 'Sylhet' } }, [p], ['Sylhet']);
      },
    ],
    neg: [
      () => c({ product: 'Galaxy Note 20', brand: 'Samsung' }, [], ['Galaxy Note 20', 'Samsung']),
      () => c('Order Shipped Successfully', [], ['Order Shipped Successfully']),
      () => c({ city: 'New York', warehouse: 'Dhaka North' }, [], ['New York', 'Dhaka North']),
      () =>
        c('Django Rest Framework raised ValidationError', [], ['Django Rest Framework', 'ValidationError']),
      () => c({ plan_name: 'Visa Platinum', method: 'Apple Pay' }, [], ['Visa Platinum', 'Apple Pay']),
      () => c({ username: `user_${digits(5)}`, display: 'Anonymous Shopper' }, [], ['Anonymous Shopper']),
      () =>
        c('Monday Morning Sale starts at Bashundhara City', [], ['Monday Morning Sale', 'Bashundhara City']),
      () =>
        c(
          { service_name: 'OrdersService', class: 'PaymentGateway' },
          [],
          ['OrdersService', 'PaymentGateway'],
        ),
      () =>
        c(
          { team: 'Customer Success', queue: 'Priority Support' },
          [],
          ['Customer Success', 'Priority Support'],
        ),
      () => c('Google Chrome Version Update Available', [], ['Google Chrome Version Update Available']),
    ],
  },
};
