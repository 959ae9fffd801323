import {
  CIRCULAR,
  createRedactor,
  DEFAULT_SENSITIVE_KEYS,
  isSensitiveKey,
  redact,
  REDACTED,
  REDACTED_EMAIL,
  redactString,
  splitKeyWords,
  TRUNCATED,
} from './index';

describe('isSensitiveKey', () => {
  it.each([
    'password',
    'Password',
    'new_password',
    'userPassword',
    'passwordHash',
    'passphrase',
    'passwd',
    'secret',
    'client_secret',
    'clientSecret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'session_token',
    'auth_token',
    'accessToken',
    'accesstoken',
    'REFRESH-TOKEN',
    'apiKey',
    'api_key',
    'API_KEY',
    'x-api-key',
    'X-Api-Key',
    'apikey',
    'authorization',
    'Authorization',
    'proxy-authorization',
    'cookie',
    'Cookie',
    'set-cookie',
    'Set-Cookie',
    'private_key',
    'privateKey',
    'otp',
    'otp_code',
    'pin',
    'pinCode',
    'ssn',
    'SSN',
    'card_number',
    'cardNumber',
    'credit card number',
    'cvv',
    'cvc',
    'phone',
    'phone_number',
    'phoneNumber',
    'email',
    'e-mail',
    'eMail',
    'Email Address',
    'user_email',
    'full_name',
    'fullName',
    'real name',
    'date_of_birth',
    'dateOfBirth',
    'dob',
    'DOB',
    'emergency_contact',
    'emergencyContactName',
    'emergency_contact_phone',
    'bank_account_number',
    'walletAccountNumber',
    'wallet_number',
    'iban',
    // identity numbers named with their number word, wallet accounts, named persons
    'tax_file_number',
    'taxFileNumber',
    'tfn',
    'nid_number',
    'nidNo',
    'nid_no',
    'nhs_number',
    'ni_number',
    'aadhaar_number',
    'panNumber',
    'id_number',
    'nric',
    'codice_fiscale',
    'bkash_account',
    'nagad_account',
    'rocket_account',
    'rocketAccount',
    'wallet_address',
    'customer_name',
    'cardholder_name',
    'cardholderName',
    'beneficiary_name',
    'father_name',
    'pin_code',
    // a phrase and the verb of a sentence: `Your temporary password is: …`
    'temporary password is',
    // an id, account or phone phrase and a number word
    'passport_no',
    'phone_no',
    'tin_nr',
    'nid_num',
    'account_no',
    'card_no',
    'rocket_no',
    'tax_file_no',
    'voter_id',
    'birth_reg_no',
    'driving_licence',
    'account_holder',
    'nachname',
    'apellidos',
    'পিতার নাম',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each([
    'author',
    'authors',
    'max_tokens',
    'maxTokens',
    'token_type',
    'tokenType',
    'password_changed_at',
    'passwordChangedAt',
    'secret_name',
    'api_key_id',
    'email_verified',
    'phone_verified',
    'cookie_consent',
    'name',
    'username',
    'user_id',
    'id',
    'spin',
    'ping',
    'pinned',
    'mobile',
    'description',
    'action',
    'request_id',
    'occurred_at',
    'key',
    'cache_key',
    // look-alikes of the identity, wallet and name phrases
    'account',
    'account_type',
    'account_id',
    'display_name',
    'client_name',
    'service_name',
    'plan_name',
    'number',
    'nid_verified',
    'tfn_declared',
    'pincode',
    'wallet_level',
    'status is',
    'order_no',
    'invoice_number',
    'build_number',
    'page_no',
    'email_no',
    'holder',
    'tax_file',
    'nombre',
    'nom',
    'is',
    '',
  ])('%p is not sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });

  it('splits camelCase, acronyms, snake, kebab, spaces and dots into words', () => {
    expect(splitKeyWords('XMLHttpRequest')).toEqual(['xml', 'http', 'request']);
    expect(splitKeyWords('APIKey')).toEqual(['api', 'key']);
    expect(splitKeyWords('x-api_key.v2 name')).toEqual(['x', 'api', 'key', 'v2', 'name']);
  });

  it('lists the default phrases', () => {
    expect(DEFAULT_SENSITIVE_KEYS).toEqual(expect.arrayContaining(['password', 'token', 'api key', 'email']));
  });
});

describe('redactString', () => {
  it.each([
    ['contact john.doe+tag@example.co.uk now', `contact ${REDACTED_EMAIL} now`],
    ['JOHN@EXAMPLE.COM', REDACTED_EMAIL],
    ['/users?email=john%40example.com&x=1', `/users?email=${REDACTED_EMAIL}&x=1`],
    ['a@b.io, c@d.io.', `${REDACTED_EMAIL}, ${REDACTED_EMAIL}.`],
    [
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-_=',
      'Authorization: Bearer [REDACTED:bearer_token]',
    ],
    ['sent with Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-_=', 'sent with Bearer [REDACTED:bearer_token]'],
    ['bearer abcdefgh12345678', 'bearer [REDACTED:bearer_token]'],
    ['postgres://vigil:s3cr3t@db.internal:5432/vigil', `postgres://vigil:${REDACTED}@db.internal:5432/vigil`],
    ['nats://user:p4ss@nats.example.com:4222', `nats://user:${REDACTED}@nats.example.com:4222`],
  ])('scrubs %p', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([
    '0b5f7c1e-4c8a-4d7e-9f1a-2b3c4d5e6f70',
    '2025-01-06T09:30:00.123+01:00',
    'billing-api.default.svc.cluster.local',
    '/var/lib/vigil/data/file.json',
    'GET /api/v2/alerts?limit=10',
    '1234567890',
    'http://localhost:3001/health/readiness',
    'postgres://db.internal:5432/vigil',
    'npm install @vigil/contracts zod@4.6.7',
    'the bearer of bad news',
    'user@localhost',
    '',
  ])('leaves %p exactly as it is', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it('returns long strings without a match unchanged', () => {
    const long = `${'a'.repeat(200_000)}@`;
    expect(redactString(long)).toBe(long);
  });
});

describe('redact', () => {
  it('redacts sensitive keys whatever the value type, at any depth', () => {
    const input = {
      user: { id: 'u-1', password: 'hunter2', pin: 1234, token: { nested: true }, email: null },
      headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': ['k1', 'k2'], accept: 'application/json' },
      items: [{ cardNumber: '4111 1111 1111 1111', cvv: 123, sku: 'A-1' }],
      max_tokens: 256,
      token_type: 'Bearer',
      author: 'Ada',
    };
    expect(redact(input)).toEqual({
      user: { id: 'u-1', password: REDACTED, pin: REDACTED, token: REDACTED, email: REDACTED },
      headers: { Authorization: `Basic ${REDACTED}`, 'x-api-key': REDACTED, accept: 'application/json' },
      items: [{ cardNumber: REDACTED, cvv: REDACTED, sku: 'A-1' }],
      max_tokens: 256,
      token_type: 'Bearer',
      author: 'Ada',
    });
  });

  it('scrubs strings under ordinary keys and in arrays, and e-mail addresses used as keys', () => {
    expect(redact({ msg: 'sent to a@b.io', list: ['x@y.org', 42], byUser: { 'c@d.io': 1 } })).toEqual({
      msg: `sent to ${REDACTED_EMAIL}`,
      list: [REDACTED_EMAIL, 42],
      byUser: { [REDACTED_EMAIL]: 1 },
    });
  });

  it('returns primitives unchanged and scrubs a top-level string', () => {
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
    expect(redact(true)).toBe(true);
    expect(redact(10n)).toBe(10n);
    expect(redact('x@y.io')).toBe(REDACTED_EMAIL);
  });

  it('never mutates its input', () => {
    const input = { password: 'p', nested: { email: 'a@b.io', list: [{ token: 't' }] }, when: new Date(0) };
    const before = structuredClone(input);
    const output = redact(input);
    expect(input).toEqual(before);
    expect(output).not.toBe(input);
    expect(output.nested).not.toBe(input.nested);
    expect(output.when).not.toBe(input.when);
    expect(output.when).toEqual(new Date(0));
  });

  it('marks cycles and keeps shared references that are not cycles', () => {
    const shared = { name: 'shared' };
    const node: Record<string, unknown> = { id: 1, a: shared, b: shared };
    node.self = node;
    node.list = [node];
    const output = redact(node);
    expect(output.self).toBe(CIRCULAR);
    expect(output.list).toEqual([CIRCULAR]);
    expect(output.a).toEqual({ name: 'shared' });
    expect(output.b).toEqual({ name: 'shared' });
    expect(() => JSON.stringify(output)).not.toThrow();
  });

  it('copies each shared object once, so a wide DAG stays linear', () => {
    let node: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 30; i++) node = { left: node, right: node };
    const output = redact(node);
    expect(output.left).toBe(output.right);
    expect(output.left).not.toBe(node.left);
  });

  it('replaces what lies deeper than 32 levels with a marker', () => {
    const root: Record<string, unknown> = {};
    let cursor = root;
    for (let i = 0; i < 40; i++) {
      const next: Record<string, unknown> = {};
      cursor.child = next;
      cursor = next;
    }
    let output = redact(root);
    let depth = 0;
    while (typeof output.child === 'object') {
      output = output.child as Record<string, unknown>;
      depth++;
    }
    expect(output.child).toBe(TRUNCATED);
    expect(depth).toBe(31);
  });

  it('turns an Error into a plain object with scrubbed strings, own props and cause', () => {
    const cause = new Error('connect to postgres://app:pw123@db:5432 failed');
    const error = Object.assign(new TypeError('no user a@b.io', { cause }), { code: 'E1', password: 'x' });
    const output = redact(error) as unknown as Record<string, unknown>;
    expect(output).not.toBeInstanceOf(Error);
    expect(output).toMatchObject({
      name: 'TypeError',
      message: `no user ${REDACTED_EMAIL}`,
      code: 'E1',
      password: REDACTED,
    });
    expect(output.stack).toEqual(expect.stringContaining(`TypeError: no user ${REDACTED_EMAIL}`));
    expect(output.stack).not.toContain('a@b.io');
    expect(output.cause).toMatchObject({
      name: 'Error',
      message: `connect to postgres://app:${REDACTED}@db:5432 failed`,
    });
  });

  it('omits cause when the error has none', () => {
    expect(Object.keys(redact(new Error('x')) as object).sort()).toEqual(['message', 'name', 'stack']);
  });

  it('copies Maps and Sets with redacted contents', () => {
    const map = new Map<unknown, unknown>([
      ['password', 'p'],
      ['note', 'mail a@b.io'],
      [1, { token: 't' }],
    ]);
    const set = new Set(['a@b.io', 'plain']);
    const output = redact({ map, set });
    expect(output.map).not.toBe(map);
    expect([...output.map]).toEqual([
      ['password', REDACTED],
      ['note', `mail ${REDACTED_EMAIL}`],
      [1, { token: REDACTED }],
    ]);
    expect([...output.set]).toEqual([REDACTED_EMAIL, 'plain']);
    expect(map.get('password')).toBe('p');
  });

  it('summarizes binary data', () => {
    const output = redact({ buf: Buffer.from('secret!'), bytes: new Uint8Array(3), raw: new ArrayBuffer(5) });
    expect(output).toEqual({ buf: '[Binary 7 bytes]', bytes: '[Binary 3 bytes]', raw: '[Binary 5 bytes]' });
  });

  it('copies class instances as plain objects of their own enumerable props', () => {
    class User {
      constructor(
        public id: string,
        public password: string,
      ) {}
      greet(): string {
        return this.id;
      }
    }
    const output = redact({ user: new User('u-1', 'p') });
    expect(output.user).toEqual({ id: 'u-1', password: REDACTED });
    expect(Object.getPrototypeOf(output.user)).toBe(Object.prototype);
  });

  it('serializes instances that define toJSON through it', () => {
    const output = redact({ url: new URL('https://admin:pw@example.com/x?email=a%40b.io') });
    expect(output.url).toBe(`https://admin:${REDACTED}@example.com/x?email=${REDACTED_EMAIL}`);
  });

  it('survives getters that throw', () => {
    const input = {
      ok: 1,
      get broken(): string {
        throw new Error('boom');
      },
    };
    expect(redact(input)).toEqual({ ok: 1, broken: '[Unreadable]' });
  });

  it('leaves functions and symbols alone', () => {
    const fn = () => 1;
    const sym = Symbol('s');
    expect(redact({ fn, sym })).toEqual({ fn, sym });
  });
});

describe('options', () => {
  it('extraKeys adds phrases matched like the defaults', () => {
    const input = { tax_id: 'T-1', taxIdCountry: 'T-2', user_tax_id: 'T-3', tax: 1 };
    expect(redact(input, { extraKeys: ['tax id'] })).toEqual({
      tax_id: REDACTED,
      taxIdCountry: 'T-2',
      user_tax_id: REDACTED,
      tax: 1,
    });
  });

  it('allowKeys removes a phrase, or allows one whole key', () => {
    const input = { phone: '+1 555', phone_number: '+1 555', sender_email: 'ops', email: 'x' };
    expect(redact(input, { allowKeys: ['phone', 'sender email'] })).toEqual({
      phone: '+1 555',
      phone_number: REDACTED,
      sender_email: 'ops',
      email: REDACTED,
    });
  });

  it('leaves the defaults untouched and reuses compiled options', () => {
    redact({}, { allowKeys: ['password'] });
    expect(isSensitiveKey('password')).toBe(true);
    expect(redact({ password: 'p' }, { allowKeys: ['password'] })).toEqual({ password: 'p' });
  });

  it('createRedactor gives a reusable redactor', () => {
    const redactor = createRedactor({ extraKeys: ['tenant code'] });
    expect(redactor.isSensitiveKey('tenantCode')).toBe(true);
    expect(redactor.redact({ tenantCode: 1, password: 2 })).toEqual({
      tenantCode: REDACTED,
      password: REDACTED,
    });
  });
});

describe('the class name of an object repr is not a key', () => {
  it.each([
    '<GamePassport: valorant#9021>',
    'objs=<QuerySet [<GamePassport: valorant#9021>, <UserToken: 42>]>',
    'saved <ApiKey: billing-service> for <Secret: db-creds>',
  ])('keeps %s', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it.each([
    ['<password: hunter2>', `<password: ${REDACTED}>`],
    ['<TOKEN: abc123>', `<TOKEN: ${REDACTED}>`],
    ['<td>Password: hunter2</td>', `<td>Password: ${REDACTED}</td>`],
    ['< Passport: AB1234567>', '< Passport: [REDACTED:passport]>'],
  ])('a key in lower case, in capitals or after a tag still goes: %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});

describe('a number too short for what its key names is kept', () => {
  it.each([
    'providers={"bkash": 812, "nagad": 403}',
    'bkash=12345 account_number=9 card: 4242 nid=1234',
    '{"phone": "12345"}',
  ])('keeps %s', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it('in objects', () => {
    const counts = { bkash: 812, nagad: '403', card: 4242, nid: 0 };
    expect(redact(counts)).toEqual(counts);
  });

  it.each([
    ['bkash=017123 nagad: 01712345678', `bkash=${REDACTED} nagad: [REDACTED:phone]`],
    ['pin=1234 password=12345', `pin=${REDACTED} password=${REDACTED}`],
    ['account_number=12345a', `account_number=${REDACTED}`],
  ])('6 digits, a short secret or not a number still goes: %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('in objects too', () => {
    expect(redact({ account_number: 123456, pin: 1234, nid: 12.5 })).toEqual({
      account_number: REDACTED,
      pin: REDACTED,
      nid: REDACTED,
    });
  });
});

describe('a password phrase followed by an adjective', () => {
  it.each([
    ['كلمة المرور الجديدة: Orbit&mango4011', `كلمة المرور الجديدة: ${REDACTED}`],
    ['contraseña nueva: Orbit&mango4011', `contraseña nueva: ${REDACTED}`],
    ['mot de passe actuel: Orbit&mango4011', `mot de passe actuel: ${REDACTED}`],
    ['neues Passwort: Orbit&mango4011', `neues Passwort: ${REDACTED}`],
    ['senha atual: Orbit&mango4011', `senha atual: ${REDACTED}`],
    ['Password (new): x1 password confirm: x1', `Password (new): ${REDACTED} password confirm: ${REDACTED}`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
    expect(redactString(expected)).toBe(expected);
  });

  it.each([
    'teléfono nuevo: 5',
    'the new value: 12',
    'estado nuevo: activo',
    'mot de passe actuel est trop court',
  ])('keeps %s', (input) => {
    expect(redactString(input)).toBe(input);
  });
});

describe('an & inside a bare value', () => {
  it('is part of the value unless a name= follows it', () => {
    expect(redactString('password: Orbit&mango4011 ok')).toBe(`password: ${REDACTED} ok`);
    expect(redactString('GET /cb?token=abc&page=2&sort')).toBe(`GET /cb?token=${REDACTED}&page=2&sort`);
    expect(redactString('token=abc&x&page=2')).toBe(`token=${REDACTED}&page=2`);
  });
});

describe('the input of a FastAPI / pydantic validation error', () => {
  const error = (loc: unknown[], input: unknown) => ({ detail: [{ loc, msg: 'invalid', input }] });

  it('goes when the last item of loc names a sensitive field', () => {
    expect(redact(error(['body', 'email'], 'marzia_djj15.at.outlook.com'))).toEqual(
      error(['body', 'email'], REDACTED),
    );
    expect(redact(error(['body', 'kyc', 'nid_number'], '1998277679317890312'))).toEqual(
      error(['body', 'kyc', 'nid_number'], REDACTED),
    );
    expect(redactString('{"detail":[{"loc":["body","password"],"msg":"too short","input":"hunter2"}]}')).toBe(
      `{"detail":[{"loc":["body","password"],"msg":"too short","input":"${REDACTED}"}]}`,
    );
  });

  it('stays for other fields, without loc, or when loc is not a list of names', () => {
    const kept = [
      error(['body', 'quantity'], 'abc'),
      { msg: 'invalid', input: 'marzia' },
      error([0], 'marzia'),
      { loc: 'email', input: 'x' },
    ];
    for (const value of kept) expect(redact(value)).toEqual(value);
  });
});

describe('an audit change object under a sensitive key inside text', () => {
  it.each([
    [
      'changes={"rocket_account": {"old": null, "new": "016210612742"}}',
      `changes={"rocket_account": {"old": null, "new": "${REDACTED}"}}`,
    ],
    [
      "changes={'password': {'old': 'new', 'new': 'b2x'}} x",
      `changes={'password': {'old': '${REDACTED}', 'new': '${REDACTED}'}} x`,
    ],
    ['diff token={before: abc, after: def}', 'diff token={before: abc, after: def}'],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
    expect(redactString(expected)).toBe(expected);
  });

  it.each([
    'x={"token": {"kind": "y"}}',
    'changes={"status": {"old": "draft", "new": "paid"}}',
    'changes={"bkash": {"old": 12, "new": 40}}',
  ])('keeps %s', (input) => {
    expect(redactString(input)).toBe(input);
  });
});
