import type { EntityDoc } from '../entity-docs';

const P = ['presidio'];
const PV = ['presidio', 'vigil'];

const doc = (
  kind: string,
  name: string,
  detection: string,
  guard: string,
  anchors: readonly string[],
  strategy: EntityDoc['strategy'] = 'remove',
): EntityDoc => ({ kind, name, detection, guard, strategy, anchors });

/** The personal-data entities found in values, for the README table and `explain`. */
export const IDENTITY_ENTITY_DOCS: EntityDoc[] = [
  doc(
    'phone',
    'phone number',
    'E.164 `+<8–15 digits>`, `00` international; national forms: NANP `(415) 555-2671`, UK/DE/IL/AU/IN trunk-0 groups `020 7946 0958`, `030/12345678`, FR `06 12 34 56 78`, BR/AU `(11) 91234-5678`; Bangladesh in every form (`+880 1712-345678`, `8801712345678`, `01712 345 678`, `017 1234 5678`, `(+880) 1712345678`, Bengali digits); bare runs (`9876543210`, `9123 4567`) after a phone word (phone, mobile, tel, whatsapp, ফোন, মোবাইল, bKash, Nagad)',
    'dates, versions, amounts, epochs and counts do not take these shapes; a number after order/invoice/tracking/ticket/version/… is kept',
    PV,
  ),
  doc(
    'crypto_wallet',
    'crypto wallet address',
    'Bitcoin `1…`/`3…` base58check, `bc1…` bech32/bech32m; Ethereum `0x` + 40 hex',
    'base58check and bech32 checksums; EIP-55 mixed case, or a wallet word (wallet, address, eth, send, to, from) for an all-lower address; tx hashes (`0x` + 64) and git SHAs kept',
    PV,
  ),
  doc(
    'us_itin',
    'US ITIN',
    '`9XX-7X-XXXX` with separators; 9 digits after `itin`',
    'group digits 50–65, 70–88, 90–92, 94–99',
    P,
  ),
  doc(
    'ssn',
    'US SSN (by context)',
    '9 digits after `ssn` / `social security number`',
    'the word; shaped SSNs are found anywhere (`ssn` detector)',
    P,
  ),
  doc('passport', 'passport number', '6–10 letters and digits after `passport` (US, IN, BD…)', 'the word', P),
  doc(
    'driver_license',
    'driver licence number',
    'letters and digits after `driver license` / `driving licence` / `dl no`',
    'the word',
    P,
  ),
  doc(
    'account_number',
    'bank / wallet account number',
    '8–18 digits after `account`, `bank account`, `acct`, `a/c`, `Rocket` (12 digits: mobile + check digit), `হিসাব নম্বর`',
    'the word',
    PV,
    'remove',
  ),
  doc(
    'national_id',
    'national id (Bangladesh NID and others by context)',
    'Bangladesh NID of 10, 13 or 17 digits and birth registration numbers after `NID`, `national id`, `smart card`, `জাতীয় পরিচয়পত্র`, `এনআইডি`, `জন্ম নিবন্ধন`; voter ids, tax ids, PESEL after their words',
    'the word: NIDs carry no public checksum and 17 digits are also timestamps',
    PV,
  ),
  doc('uk_nhs', 'UK NHS number', '`943 476 5919` (3-3-4); 10 digits after `nhs`', 'mod 11 check digit', P),
  doc(
    'uk_nino',
    'UK National Insurance number',
    '`QQ 12 34 56 C`',
    'valid prefix letters (not BG, GB, KN, NK, NT, TN, ZZ), suffix A–D',
    P,
  ),
  doc(
    'in_pan',
    'India PAN',
    '`ABCPD1234E`',
    'the 4th letter is a holder type (P, C, H, F, A, T, B, L, J, G)',
    P,
  ),
  doc(
    'in_aadhaar',
    'India Aadhaar',
    '`2345 6789 0123` (4-4-4, first digit 2–9); 12 digits after `aadhaar`',
    'Verhoeff check digit',
    P,
  ),
  doc(
    'sg_nric',
    'Singapore NRIC/FIN',
    '`S1234567D` (S, T, F, G, M series)',
    'weighted mod 11 check letter',
    P,
  ),
  doc(
    'au_tfn',
    'Australia tax file number',
    '`123 456 782`; 9 digits after `tfn`',
    'mod 11 weighted check',
    P,
  ),
  doc('au_abn', 'Australia business number', '`51 824 753 556`; 11 digits after `abn`', 'mod 89 check', P),
  doc('au_acn', 'Australia company number', '`004 085 616`; 9 digits after `acn`', 'check digit', P),
  doc(
    'au_medicare',
    'Australia Medicare number',
    '`2123 45670 1`; 10–11 digits after `medicare`',
    'first digit 2–6, weighted check digit',
    P,
  ),
  doc('es_nif', 'Spain DNI/NIF', '`12345678Z`', 'mod 23 check letter', P),
  doc('es_nie', 'Spain NIE', '`X1234567L`', 'mod 23 check letter (X, Y, Z as 0, 1, 2)', P),
  doc('it_fiscal_code', 'Italy codice fiscale', '`RSSMRA85T10A562S`', 'check character', P),
  doc(
    'fi_hetu',
    'Finland personal identity code',
    '`131052-308T`',
    'a real day and month, mod 31 check character',
    P,
  ),
  doc(
    'kr_rrn',
    'Korea resident registration number',
    '`900101-1234567`',
    'a real day and month, weighted check digit',
    P,
  ),
  doc(
    'date_of_birth',
    'date of birth',
    'a date after `born`, `DOB`, `date of birth`, `birthday`, `geboren`, `née le`, `fecha de nacimiento`, `জন্ম তারিখ` (numeric, ISO, `12 March 1990`, `March 12, 1990`)',
    'only after a birth word: other dates stay',
    PV,
  ),
  doc(
    'name',
    'person name',
    'where the structure names a person: `Dear Rahim Uddin,`, `Name: …`, `Mr./Mrs./Dr./Md. …`, `customer Nusrat Jahan`, `From: Rahim Uddin <…>`, `signed by …`, sign-offs, `নাম: …`',
    'capitalised words only, and a list of words that follow these cues without being names (Customer, Support, Team, Admin, …)',
    PV,
  ),
];
