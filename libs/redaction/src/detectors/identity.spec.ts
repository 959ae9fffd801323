import { VALUE_KINDS } from '../entities';
import { createRedactor, redact, REDACTED, redactString } from '../index';
import { IDENTITY_ENTITY_DOCS, identityDetectors } from './identity';
import { compileReplacer } from '../strategies';

const marker = (kind: string): string => `[REDACTED:${kind}]`;

/** `'call «+8801712345678» now'`: the text as written, and as redacted (each `«…»` a marker of `kind`). */
function planted(kind: string, template: string): [input: string, expected: string] {
  return [template.replace(/[«»]/g, ''), template.replace(/«[^»]*»/g, marker(kind))];
}

const POSITIVES: [kind: string, template: string][] = [
  // Bangladesh phone numbers in every written form, ASCII and Bengali digits
  ['phone', 'call «+8801712345678» now'],
  ['phone', 'call «8801712345678» now'],
  ['phone', 'ph: «+880 1712-345678»'],
  ['phone', 'ph: «01712-345678»'],
  ['phone', 'ph: «01712 345 678»'],
  ['phone', 'ph: «017 1234 5678»'],
  ['phone', 'ph: «(+880) 1712345678»'],
  ['phone', 'ph: «880-1712-345678»'],
  ['phone', 'মোবাইল «০১৭১২৩৪৫৬৭৮»'],
  ['phone', 'মোবাইল নম্বর: «+৮৮০ ১৭১২-৩৪৫৬৭৮»।'],
  ['phone', 'mixed digits «০১৭12345678»'],
  ['phone', 'bKash «01712-345678» cash out'],
  ['phone', 'Nagad: «1712345678»'],
  // other countries, national forms
  ['phone', 'UK office «020 7946 0958»'],
  ['phone', 'UK mobile «07700 900123»'],
  ['phone', 'DE Büro «030/12345678»'],
  ['phone', 'DE Handy «0151 23456789»'],
  ['phone', 'FR «06 12 34 56 78» ou «06.12.34.56.78»'],
  ['phone', 'IN «+91 98765 43210» or «098765 43210»'],
  ['phone', 'IN mobile: «9876543210»'],
  ['phone', 'BR «(11) 91234-5678»'],
  ['phone', 'IL «050-123-4567» or «03-1234567»'],
  ['phone', 'SG tel «9123 4567», «+65 6123 4567»'],
  ['phone', 'AU «(02) 9876 5432» or «0412 345 678»'],
  ['phone', 'CA toll-free «1-800-555-0199»'],
  ['phone', 'dial «0044 20 7946 0958»'],
  ['phone', 'GET /users/«01712345678»/orders 200'],
  // `00` for `+`, in any grouping of a Bangladesh mobile; `%2B` for `+` in a form body
  ['phone', 'call «00880-1312-660984» now'],
  ['phone', 'dial «008801312660984» or «00880 1312 660984»'],
  ['phone', 'ph «(00880) 1312-660984»'],
  ['phone', 'From=«%2B8801712660417»&To=«%2B14155552671»&Body=hi'],
  ['phone', 'caller=«%2b447700900123»'],
  // national ids with a checksum or check letter
  // a word in parentheses after its long form, dashes in the number
  ['national_id', 'voter id (NID) «4718-2093-65» checked'],
  ['national_id', 'Smart card (NID): «4718209365»'],
  // the arguments of a task whose name says it handles an identity document
  ['national_id', 'Task kyc.tasks.verify_nid[1b2c3d4e-1111] received args:[331,"«8837190246»"]'],
  ['national_id', "Task ekyc.passport_check[9f] retry args=(«19901234567890123», 'x')"],
  // `0x` and exactly 40 hex is an address in any language, any words around it
  ['crypto_wallet', 'Einzahlung von «0x90e7a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d93cb8» erhalten'],
  ['crypto_wallet', 'topic «0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed»!'],
  ['crypto_wallet', 'reçu de «0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED»'],
  ['sg_nric', 'NRIC «S1234567D» verified'],
  ['sg_nric', 'FIN «F1234567N»'],
  ['uk_nino', 'NI number «AB 12 34 56 C»'],
  ['uk_nino', 'nino=«AB123456C»'],
  ['uk_nhs', 'NHS number «943 476 5919»'],
  ['uk_nhs', 'patient nhs: «9434765919»'],
  ['in_pan', 'PAN «ABCPD1234E» linked'],
  ['in_aadhaar', 'Aadhaar «2345 6789 0124»'],
  ['in_aadhaar', 'aadhaar no: «234567890124»'],
  ['es_nif', 'DNI «12345678Z»'],
  ['es_nie', 'NIE «X1234567L»'],
  ['it_fiscal_code', 'CF «RSSMRA85T10A562S»'],
  ['fi_hetu', 'HETU «131052-308T»'],
  ['kr_rrn', '주민등록번호 «900101-1234568»'],
  ['us_itin', 'ITIN «912-70-1234»'],
  ['us_itin', 'itin: «912701234»'],
  ['au_tfn', 'TFN «123 456 782»'],
  ['au_abn', 'ABN «51 824 753 556»'],
  ['au_acn', 'ACN «004 085 616»'],
  // lower-case ids with a check letter, as typed
  ['sg_nric', 'Singpass login for «s1234567d» ok'],
  ['it_fiscal_code', 'SPID login «rssmra85t10a562s» ok'],
  // one-time codes named by their words
  ['one_time_code', 'Your one-time code is «971924». It expires in 10 minutes.'],
  ['one_time_code', 'OTP: «4821»'],
  ['one_time_code', 'verification code «55102934»'],
  // one-time link tokens in a path
  [
    'link_token',
    'Click https://shop.example.com/reset/«XpNOKrTyeXEZS3Vsc5OrT7mbmehSYgSIeERPi7VXaR7»/ to choose',
  ],
  ['link_token', 'https://app.example.com/reset/MjQ/«c3x4ab-1234567890abcdef12345678»/'],
  ['link_token', 'verify at /verify-email/«Zk29aXwP0qLm3nB7vC1xR8tY»'],
  // card, SSN and IBAN written in Bengali digits
  ['card', 'কার্ড «৪১১১ ১১১১ ১১১১ ১১১১» দিয়ে'],
  ['ssn', 'ssn «১২৩-৪৫-৬৭৮৯» on file'],
  ['iban', 'IBAN «GB৮২ WEST ১২৩৪ ৫৬৯৮ ৭৬৫৪ ৩২»'],
  // an id word joined to its number word by an underscore
  ['national_id', 'nid_no «7271735916» matched'],
  ['au_medicare', 'Medicare «2123 45670 1»'],
  // numbers that only a context word makes personal (Presidio's context words)
  ['ssn', 'SSN: «123456789»'],
  ['passport', 'passport «A1234567» expires 2030'],
  ['passport', 'Passport No. «EB0123456»'],
  ['driver_license', "driver's license «D1234-5678-9012»"],
  ['account_number', 'bank account «12345678901» frozen'],
  ['account_number', 'a/c: «0011223344556»'],
  ['account_number', 'Rocket «017123456789» credited'],
  ['account_number', 'wallet «017123456789»'],
  ['account_number', 'routing number «021000021»'],
  ['national_id', 'NID: «19902612345678901»'],
  ['national_id', 'NID «1234567890»'],
  ['national_id', 'NID No: «943 476 5919»'],
  ['national_id', 'nid no: «1234567890123»'],
  ['national_id', 'smart card «19902612345678901»'],
  ['national_id', 'জাতীয় পরিচয়পত্র নং «১২৩৪৫৬৭৮৯০»'],
  ['national_id', 'জন্ম নিবন্ধন: «20051234567890123»'],
  ['national_id', 'PESEL «44051401359»'],
  ['national_id', 'CPF «123.456.789-09»'],
  ['national_id', 'CNIC «12345-1234567-1»'],
  ['national_id', 'EPIC no «ABC1234567»'],
  ['passport', 'Reisepass «C01X00T47»'],
  ['driver_license', 'Führerschein «B072RRE2I55»'],
  ['medical_license', 'DEA number «AB1234563»'],
  // crypto wallets
  ['crypto_wallet', 'btc «1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2»'],
  ['crypto_wallet', 'p2sh «3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy»'],
  ['crypto_wallet', 'segwit «bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq»'],
  ['crypto_wallet', 'pay «0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed» now'],
  ['crypto_wallet', 'withdraw to «0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359»'],
  ['crypto_wallet', '«0xd6e91a2e1d9e71f1a50ac4c68763da23b46c2e0a»'],
  // dates of birth
  ['date_of_birth', 'born «12/03/1990» in Dhaka'],
  ['date_of_birth', 'DOB: «1990-03-12»'],
  ['date_of_birth', 'date of birth: «12 March 1990»'],
  ['date_of_birth', 'Birthday «March 12, 1990»'],
  ['date_of_birth', 'জন্ম তারিখ: «১২/০৩/১৯৯০»'],
  ['date_of_birth', 'birth_date=«1990-03-12»'],
  ['date_of_birth', 'profile {"dob": "«1990-03-12»"} saved'],
  ['date_of_birth', 'Profile(user_id=91, date_of_birth=«datetime.date(1984, 1, 26)»)'],
  // person names where the structure says so
  ['name', 'Dear «Rahim Uddin»,\nYour order shipped.'],
  ['name', 'Hi «Nusrat», welcome'],
  ['name', 'Name: «Rahim Uddin»'],
  ['name', 'Account holder: «RAHIM UDDIN»'],
  ['name', 'refund for customer «Nusrat Jahan» approved'],
  ['name', 'Mr. «Karim» called; Dr «Farhana Akter» replied'],
  ['name', 'Md. «Rahim Uddin» paid'],
  ['name', 'signed by «Farhana Akter»'],
  ['name', 'Regards,\n«Nusrat Jahan»'],
  ['name', 'নাম: «রহিম উদ্দিন»'],
  ['name', 'পিতা: «আব্দুল করিম»'],
  ['name', "User(name='«Rahim Uddin»', id=7)"],
  ['name', 'Customer «Nusrat Jahan» paid'],
  ['name', 'Hello «Rahim Uddin»'],
  ['name', 'Thanks,\n«Rahim»'],
  ['name', 'Dr. «Farhana Akter» (Cardiology)'],
  ['name', 'Name: «MD. RAHIM UDDIN» | Father: «Abdul Karim»'],
  ['name', "frame locals: {'customer_name': '«Rahim Uddin»', 'id': 7}"],
  ['name', 'Signed by: «Karim Ahmed»'],
  ['name', 'please call back.\n\n-- \n«Amelia Kowalski»\nSupport desk'],
  ['name', 'Best,\n«Rahim Uddin»'],
  ['name', 'Thanks & regards,\n«Nusrat Jahan»\nSenior Engineer'],
  ['name', 'Subject: Welcome, «Rahim Uddin»!'],
  ['name', 'Recipient: «Nusrat Jahan», Name on card: «RAHIM UDDIN»'],
  ['name', 'ticket assigned to «Rahim Uddin» by the bot'],
];

describe('identity detectors: each entity is found in realistic text', () => {
  it.each(POSITIVES)('%s: %p', (kind, template) => {
    const [input, expected] = planted(kind, template);
    expect(redactString(input)).toBe(expected);
  });

  it.each(POSITIVES)('%s: redacting twice changes nothing: %p', (kind, template) => {
    const once = redactString(planted(kind, template)[0]);
    expect(redactString(once)).toBe(once);
  });
});

const LOOK_ALIKES: [what: string, input: string][] = [
  ['order numbers', 'order 01712345678 shipped; invoice no. 020 7946 0958; tracking #: 9876543210'],
  ['ticket and version numbers', 'ticket 123 456 782, version 2345 6789 0124, build 943 476 5919'],
  ['bare digit runs without a phone word', 'user 9876543210 and 98765432101, count 91234567'],
  ['epochs', 'at 1736150400123 and 1736150400'],
  ['dates and times', 'from 2025-01-06 10:30 to 12-03-1990, 12.03.1990, 06/01/2025'],
  ['dates not of birth', 'released 2024-01-02, created 12/03/1990, expires March 12, 2030'],
  ['counts', 'counts 1000 2000 3000, ids 001 002 003'],
  [
    'paths and dates split by slashes',
    'GET /api/v2/users/12345/orders/1234567890?limit=50, /files/2024/01/06/r.pdf',
  ],
  ['prices and amounts', 'total 1,234,567.89 BDT, balance 12 345 678, +100.50'],
  ['versions', 'node 20.19.0, v1.2.3.4, 10.0.19045.3803'],
  ['IP-looking and dotted numbers', 'build 2025.01.06.1234'],
  ['checksum-failing NRIC, NIF, fiscal code, HETU', 'S1234567A 12345678A RSSMRA85T10A562X 131052-308A'],
  ['NINO with a prefix never issued', 'QQ123456C and GB123456A'],
  ['checksum-failing Aadhaar, NHS, ABN', '2345 6789 0123 943 476 5918 51 824 753 557'],
  ['amounts grouped by three, even when a TFN checksum passes', 'total 123 456 782 BDT, balance 004 085 616'],
  ['an id after an order word', 'invoice INVCA2024B, ref ABCPD1234E'],
  ['KR-shaped with an impossible date', '901301-1234567'],
  ['ITIN-shaped with a bad group', '912-45-1234'],
  ['short numbers after context words', 'NID 1990, passport 12, account 1234'],
  ['a Jira epic and a network card', 'epic 12345678 closed; nic 00:1a:2b:3c:4d:5e up; tin 1.2.3'],
  [
    'transaction hash and git SHA',
    'tx 0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b sha 9fceb02d0ae598e95dc970b74767f19372d61af8',
  ],
  [
    'hex after 0x that is not 40 digits, or runs on',
    'h 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed1 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedz',
  ],
  [
    '40 hex after 0x inside a word or a path',
    'ab0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed /0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
  ],
  [
    'task arguments: another task, or not an id length',
    'Task orders.tasks.ship[ab] received args:[331,"8837190246"] Task kyc.tasks.verify_nid[ab] received args:[331,"88371902467"] Task unidentified.x[ab] args:["8837190246"]',
  ],
  ['00 numbers that are not a mobile after 00', 'ref 0012-3456-789, 00880-1234-5678, 00880.1312.660984'],
  ['%2B before a short number, or inside a word', 'delta=%2B1234.56&page=%2B2&q=a%2B12345678'],
  ['a parenthesised id word before a short number', 'status (NID) pending, 12 items; (NID) 2020'],
  ['mixed case failing EIP-55', 'pay 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'],
  ['base58 failing its checksum', 'btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3'],
  ['bech32 failing its checksum', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdd'],
  ['capitalised words that are not names', 'Dear Customer, Dear Sir, customer Support Team, Name: Default'],
  ['product and service names', 'Checkout Service returned 200 OK; Google Cloud Storage bucket'],
  ['sender that is a product', 'From: Google Cloud <alerts>'],
  ['role words followed by lower-case words', 'customer paid with card, user signed in'],
  ['role word with one capitalised word', 'user Alice logged in'],
  ['a title without a name', 'Dr. who? mr. smith in lower case'],
  ['class names after role words', 'UserProfile Updated by Admin; UserDetailView Settings'],
  ['a one-word sender', 'From: Alertmanager <alerts>'],
  ['lower-case and product names after name=', 'name: checkout-service, name="Order Service"'],
  ['a product name field', "{'product_name': 'Green Tea', 'service_name': 'Order Service'}"],
  ['capitals that name a service', 'Name: ORDER SERVICE'],
  ['a team sign-off', 'Thanks,\nThe Team'],
  [
    'interface words after role words',
    'User Agent String parsed; Client Credentials Grant; Guest Checkout Flow',
  ],
  ['a salutation to a role', 'Dear Sir/Madam,'],
  ['a Bengali name cue before digits', 'নাম: ১২৩'],
  ['a date after a word that starts like a birth word', 'doberman 12/03/1990'],
  ['a repr date that is not a birth date', 'Order(created=datetime.date(2024, 1, 26))'],
  ['Bengali digits that are a price', 'মূল্য ১২৩ টাকা'],
  ['page names and other paths', '/verify/email-confirmation-sent-page /invite/accepted'],
  ['a slug with a date after a link word', '/verify/2024-01-02-release-notes'],
  ['a digest in a path not after a link word', 'GET /api/v2/orders/8f14e45fceea167a5a36dedd4bea2543'],
  ['ACN and ABN failing their checks', 'ACN 719 421 837, ABN 87 973 643 560'],
  ['a US ZIP+4', 'ship to 02614-6587 by Friday'],
  ['lower-case id shapes failing their checks', 'ref t1234567a, code rssmra85t10a562x'],
  ['other codes', 'status code 404123, error code 500123, OTP attempts 3, OTP sent'],
  ['a signature that is a team', 'bye\n--\nThe Shop Team\nSupport Desk'],
  ['greetings and sign-offs without a person', 'Welcome, Guest! Welcome back, Admin.\nBest,\nThe Shop Team'],
  [
    'who did it, when it is a system',
    'created by Data Pipeline, paid by Credit Card, requested by Mobile App',
  ],
  ['a reply attribution without a name', 'On Mon, 1 Jan 2024, Support Team <help> wrote:'],
  ['a product name in a repr', "Product(sku='SHOE-42', name='Runner Pro')"],
  [
    'message ids that look like addresses',
    'Message-ID: <5ab064ad-4731@mail.shop.example.com>\nIn-Reply-To: <a1.b2@mail.example.com>\nReferences: <CAF1=abc123@mail.gmail.com> <CAF2=de+f4@mail.gmail.com>',
  ],
];

describe('identity detectors: masked and hashed output is left alone by a second pass', () => {
  const kinds = [...new Set(POSITIVES.map(([kind]) => kind))];
  const masking = createRedactor({ strategies: Object.fromEntries(kinds.map((kind) => [kind, 'mask'])) });
  const hashing = createRedactor({
    strategies: Object.fromEntries(kinds.map((kind) => [kind, 'hash'])),
    hashKey: 'k'.repeat(32),
  });

  it.each(POSITIVES)('%s: %p', (kind, template) => {
    const [input] = planted(kind, template);
    for (const redactor of [masking, hashing]) {
      const once = redactor.redactString(input);
      expect(once).not.toBe(input);
      expect(redactor.redactString(once)).toBe(once);
    }
  });
});

describe('identity detectors: look-alikes are kept byte for byte', () => {
  it.each(LOOK_ALIKES)('%s: %p', (_what, input) => {
    expect(redactString(input)).toBe(input);
  });
});

describe('identity detectors: a name and an address side by side', () => {
  it("a quoted reply's attribution loses the name and the address", () => {
    expect(redactString('On Mon, 1 Jan 2024 at 10:00, Rahim Uddin <rahim@example.com> wrote:')).toBe(
      `On Mon, 1 Jan 2024 at 10:00, ${marker('name')} <${marker('email')}> wrote:`,
    );
  });

  it('an e-mail header keeps its shape: display name and address each become a marker', () => {
    expect(redactString('From: Rahim Uddin <rahim@example.com>')).toBe(
      `From: ${marker('name')} <${marker('email')}>`,
    );
  });
});

describe('identity detectors under a policy', () => {
  it('a disabled kind is not found in Bengali digits either', () => {
    const redactor = createRedactor({ disabled: ['phone'] });
    expect(redactor.redactString('মোবাইল ০১৭১২৩৪৫৬৭৮')).toBe('মোবাইল ০১৭১২৩৪৫৬৭৮');
  });

  it('mask keeps the last 4 digits, read from Bengali digits as ASCII', () => {
    const redactor = createRedactor({ strategies: { phone: 'mask' } });
    expect(redactor.redactString('মোবাইল ০১৭১২৩৪৫৬৭৮')).toBe('মোবাইল ****5678');
  });

  it('hash makes the same number in Bengali and ASCII digits the same token', () => {
    const redactor = createRedactor({ strategies: { phone: 'hash' }, hashKey: 'k'.repeat(32) });
    const bengali = redactor.redactString('০১৭১২৩৪৫৬৭৮');
    expect(bengali).toMatch(/^\[HASH:phone:[a-p]{16}\]$/);
    expect(redactor.redactString('01712345678')).toBe(bengali);
  });

  it('hash makes grouped and ungrouped ids, and Bengali and ASCII digits, the same token', () => {
    const redactor = createRedactor({
      strategies: { in_aadhaar: 'hash', national_id: 'hash', sg_nric: 'hash' },
      hashKey: 'k'.repeat(32),
    });
    const grouped = redactor.redactString('aadhaar 2345 6789 0124');
    expect(grouped).toMatch(/^aadhaar \[HASH:in_aadhaar:[a-p]{16}\]$/);
    expect(redactor.redactString('aadhaar 2345-6789-0124')).toBe(grouped);
    expect(redactor.redactString('aadhaar 234567890124')).toBe(grouped);
    const ascii = redactor.redact({ nid_number: '1234567890' });
    expect(redactor.redact({ nid_number: '১২৩৪ ৫৬৭ ৮৯০' })).toEqual(ascii);
    expect(redactor.redactString('login s1234567d')).toBe(redactor.redactString('login S1234567D'));
  });

  it('names can be turned off on their own', () => {
    const redactor = createRedactor({ disabled: ['name'] });
    expect(redactor.redactString('Dear Rahim Uddin, call 01712345678')).toBe(
      `Dear Rahim Uddin, call ${marker('phone')}`,
    );
  });
});

describe('identity entity documentation', () => {
  const documented = new Set(IDENTITY_ENTITY_DOCS.map((doc) => doc.kind));

  it('documents every kind the identity detectors report, once', () => {
    const reported = identityDetectors(compileReplacer(() => 'remove', undefined)).flatMap((d) => [
      ...d.kinds,
    ]);
    for (const kind of reported) expect([kind, documented.has(kind)]).toEqual([kind, true]);
    expect(documented.size).toBe(IDENTITY_ENTITY_DOCS.length);
  });

  it('lists only kinds a policy can name', () => {
    for (const kind of documented) expect(VALUE_KINDS).toContain(kind);
  });
});

describe('identity fields of a record: sensitive by their value or by a sibling field', () => {
  it('a `name` beside a person field (e-mail, phone, role, city) is a name', () => {
    expect(redact({ name: 'Arjun Tanaka', role: 'rider' })).toEqual({ name: REDACTED, role: 'rider' });
    expect(redact({ recipient: { name: 'HANNAH AKTER', city: 'Sylhet' } })).toEqual({
      recipient: { name: REDACTED, city: 'Sylhet' },
    });
  });

  it('a one-word or Bengali `name` beside a contact field is a name; beside a city or role it needs two words', () => {
    expect(redact({ name: 'Rahim', email: 'x' })).toEqual({ name: REDACTED, email: REDACTED });
    expect(redact({ নাম: 'রহিম উদ্দিন', mobile: 'x' })).toEqual({ নাম: REDACTED, mobile: 'x' });
    expect(redact({ nombre: 'Juan Pérez', phone: 'x' })).toEqual({ nombre: REDACTED, phone: REDACTED });
    const city = { name: 'Sylhet', city: 'Sylhet' };
    expect(redact(city)).toEqual(city);
  });

  it('a `name` in another record, or a non-name beside a person field, is kept', () => {
    const product = { name: 'Galaxy Note', price: 10 };
    expect(redact(product)).toEqual(product);
    const service = { name: 'Order Service', role: 'ops' };
    expect(redact(service)).toEqual(service);
    const lower = { name: 'checkout-service', role: 'worker' };
    expect(redact(lower)).toEqual(lower);
    const branch = { name: 'Dhaka North', city: 'Dhaka' };
    expect(redact(branch)).toEqual(branch);
  });

  it('a `number` whose sibling type names an identity document is that id', () => {
    expect(redact({ type: 'NID', number: '2493792731194' })).toEqual({ type: 'NID', number: REDACTED });
    expect(redact({ id_type: 'passport', value: 'EB0123456' })).toEqual({
      id_type: 'passport',
      value: REDACTED,
    });
    expect(redact({ type: 'NATIONAL_ID', number: '2493792731194' })).toEqual({
      type: 'NATIONAL_ID',
      number: REDACTED,
    });
    expect(redact({ docType: 'nid-card', no: '2493792731194' })).toEqual({
      docType: 'nid-card',
      no: REDACTED,
    });
  });

  it('a `number` in Bengali digits beside an id document type is that id', () => {
    expect(redact({ type: 'NID', number: '৫৫৭১০৯৩৮২৬' })).toEqual({ type: 'NID', number: REDACTED });
    expect(redact({ id_type: 'passport', no: 'EB০১২৩৪৫৬' })).toEqual({ id_type: 'passport', no: REDACTED });
    const price = { type: 'invoice', number: '৫৫৭১০৯৩৮২৬' };
    expect(redact(price)).toEqual(price);
    const short = { type: 'NID', number: '১২' };
    expect(redact(short)).toEqual(short);
  });

  it('a `number` beside another type, or not shaped as the id, is kept', () => {
    const order = { type: 'order', number: '2493792731194' };
    expect(redact(order)).toEqual(order);
    const short = { type: 'NID', number: '12' };
    expect(redact(short)).toEqual(short);
    const invoice = { document_type: 'invoice', document_number: 'INV-2024-0001' };
    expect(redact(invoice)).toEqual(invoice);
    expect(redact({ document_type: 'NID', document_number: '1234567890123' })).toEqual({
      document_type: 'NID',
      document_number: REDACTED,
    });
  });

  it('a `uid` holding an Aadhaar number (12 digits, Verhoeff) is one; other uids are kept', () => {
    expect(redact({ uid: '234567890124' })).toEqual({ uid: REDACTED });
    expect(redact({ uid: '234567890123' })).toEqual({ uid: '234567890123' });
    expect(redact({ uid: 1000 })).toEqual({ uid: 1000 });
  });

  it('a phone-shaped value, JSON number or string, under a key that may hold a phone is one', () => {
    const number = 8801623077145;
    for (const key of [
      'contact_number',
      'contact_no',
      'contact',
      'cell',
      'whatsapp',
      'mobile_no',
      'mobile',
      'customerMobile',
    ])
      expect(redact({ [key]: number })).toEqual({ [key]: REDACTED });
    expect(redact({ cell: '01712345678' })).toEqual({ cell: REDACTED });
    expect(redact({ whatsapp: '+44 20 7946 0958' })).toEqual({ whatsapp: REDACTED });
    expect(redact({ contact_number: 4915112345678 })).toEqual({ contact_number: REDACTED });
  });

  it('other values under those keys, and ids, are kept', () => {
    const kept = {
      contact_id: 12345678,
      cell: 42,
      mobile: true,
      contact: 'support team',
      tel: '2024-01-15',
      whatsapp_opt_in: 8801623077145,
      mobile_no: 1712.5,
      device: { mobile: { os: 'ios', version: '17.1' } },
    };
    expect(redact(kept)).toEqual(kept);
    expect(redact({ spreadsheet: { cell: 'B12' } })).toEqual({ spreadsheet: { cell: 'B12' } });
  });

  it('a path under a name key (a repository `full_name`) names no person; a name does', () => {
    const repository = { full_name: 'deltacrown/user-profile', name: 'user-profile' };
    expect(redact({ repository })).toEqual({ repository });
    expect(redact({ full_name: 'Rahim Uddin' })).toEqual({ full_name: REDACTED });
    expect(redact({ full_name: 'Rahim / Karim Uddin' })).toEqual({ full_name: REDACTED });
    expect(redact({ full_name: 42 })).toEqual({ full_name: REDACTED });
  });

  it('postal codes stay: `pincode` (India) and ZIP+4', () => {
    const address = { pincode: '467342', zip: '02614-6587' };
    expect(redact(address)).toEqual(address);
    expect(redact({ pin_code: '4821' })).toEqual({ pin_code: REDACTED });
  });
});
