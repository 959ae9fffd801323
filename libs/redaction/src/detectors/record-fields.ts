import { verhoeffValid } from '../checksums';
import { compactKey, compileKeyMatcher, splitKeyWords } from '../sensitive-keys';
import { OTHER_DIGIT } from '../string-facts';
import { namedNumberKind } from './context-numbers';
import { foldDigits } from './folding';
import { personNameValue } from './people';
import { isPhone } from './phones';

/**
 * Fields whose name alone does not make them sensitive (`name`, `number`, `uid`) but whose value or
 * record does: a person's name in a record that describes a person, the number of an identity document
 * whose type a sibling field names, an Aadhaar number under `uid` (UIDAI's name for it). Decided per
 * value; `undefined` keeps the value for the ordinary scan.
 */
export type FieldRule = (value: unknown, record: object) => string | undefined;

/** What a field rule returns for a value to keep as it is (it only looks like something sensitive). */
export const KEEP_FIELD = '';

/**
 * Fields that describe a person: a record holding one of these and a `name` names a person. Contact
 * and identity fields make even a one-word name one (`{"name": "Rahim", "email": …}`); the weaker ones
 * (a city, a role) need two words (`{"name": "Arjun Tanaka", "role": "rider"}`).
 */
const CONTACT_FIELDS = new Set([
  'email',
  'emailaddress',
  'phone',
  'phonenumber',
  'mobile',
  'msisdn',
  'gender',
  'dob',
  'dateofbirth',
  'nid',
]);
const PERSON_FIELDS = new Set([
  ...CONTACT_FIELDS,
  'address',
  'city',
  'role',
  'relation',
  'relationship',
  'age',
  'nationality',
  'occupation',
  // A relative's name beside a `name` (a KYC record: `{"name_en": …, "father_name": …}`, `পিতার নাম`)
  ...['fathername', 'mothername', 'spousename', 'husbandname', 'guardianname'],
  ...['পিতারনাম', 'মাতারনাম', 'স্বামীরনাম'],
]);

// Sibling fields that say what kind of document a record is (`{"type": "NID", "number": "…"}`).
const DOCUMENT_TYPE_FIELDS = [
  'type',
  'id_type',
  'idType',
  'document_type',
  'documentType',
  'doc_type',
  'docType',
];

// Bengali (and other) digits read as ASCII ones: `৫৫৭১০৯৩৮২৬` is the NID `5571093826`.
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? OTHER_DIGIT.test(value)
      ? foldDigits(value)
      : value
    : typeof value === 'number'
      ? String(value)
      : undefined;

function readField(record: object, key: string): unknown {
  try {
    return (record as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

const personName: FieldRule = (value, record) => {
  if (typeof value !== 'string') return undefined;
  const words = personNameValue(value);
  if (words === 0) return undefined;
  const fields = words > 1 ? PERSON_FIELDS : CONTACT_FIELDS;
  for (const key of Object.keys(record)) if (fields.has(compactKey(key))) return 'name';
  return undefined;
};

// A field that holds a person's name under a name no sensitive-key phrase spells: a payment gateway's
// abbreviation (SSLCommerz's `cus_name`, `cust_name`, `customer_nm`) or a full name in one language
// (`full_name_bn`). Its value is one when shaped as a name.
const nameShaped: FieldRule = (value) =>
  typeof value === 'string' && personNameValue(value) > 0 ? 'name' : undefined;

const documentNumber: FieldRule = (value, record) => {
  const text = textOf(value);
  if (text === undefined) return undefined;
  for (const field of DOCUMENT_TYPE_FIELDS) {
    const type = readField(record, field);
    if (typeof type === 'string') return namedNumberKind(type, text);
  }
  return undefined;
};

// An Aadhaar number: 12 digits, never starting 0 or 1, Verhoeff check (Presidio's InAadhaarRecognizer).
const AADHAAR = /^[2-9]\d{11}$/;
const aadhaarUid: FieldRule = (value) => {
  const text = textOf(value);
  return text !== undefined && AADHAAR.test(text) && verhoeffValid(text) ? 'in_aadhaar' : undefined;
};

const defaultKeyKind = compileKeyMatcher();

/**
 * The `input` of a pydantic v2 / FastAPI validation error (`{"loc": ["body", "email"], "msg": "…",
 * "input": "…"}`): the last item of `loc` names the field the input was given for.
 */
const validationInput: FieldRule = (value, record) => {
  if (value === null || typeof value === 'object') return undefined;
  const loc = readField(record, 'loc');
  if (!Array.isArray(loc) || loc.length === 0 || loc.length > 16) return undefined;
  const field: unknown = loc[loc.length - 1];
  return typeof field === 'string' && field.length <= 64 ? defaultKeyKind(field) : undefined;
};

const RULES: ReadonlyMap<string, FieldRule> = new Map([
  ['input', validationInput],
  ['name', personName],
  ['nombre', personName],
  ['nom', personName],
  ['nome', personName],
  ['নাম', personName],
  // A name in one language (`name_en`, `name_bn`): a product's too, so only in a person's record.
  ...['nameen', 'namebn'].map((key): [string, FieldRule] => [key, personName]),
  ...['cusname', 'custname', 'customernm', 'custnm', 'cusnm'].map((key): [string, FieldRule] => [
    key,
    nameShaped,
  ]),
  ...['fullnameen', 'fullnamebn'].map((key): [string, FieldRule] => [key, nameShaped]),
  ['number', documentNumber],
  ['no', documentNumber],
  ['value', documentNumber],
  // `document_number` is also an invoice's or a contract's: an id only beside an id document type.
  ['documentnumber', documentNumber],
  ['documentno', documentNumber],
  ['docnumber', documentNumber],
  ['docno', documentNumber],
  ['uid', aadhaarUid],
]);

// Keys that hold a phone number but name other things too (`contact`, `cell`, `mobile`, `whatsapp`),
// alone or with a number word (`contact_number`, `mobile_no`): their value is one when it has a phone's shape.
const PHONE_FIELD_WORDS = new Set([
  'contact',
  'mobile',
  'mob',
  'cell',
  'cellphone',
  'tel',
  'whatsapp',
  'viber',
]);
// Keys that number a document's parts or a release: a dotted quad under them (`"4.3.2.1"`) is no address.
const NUMBERING_WORDS = new Set([
  ...['section', 'sec', 'figure', 'fig', 'chapter', 'clause', 'paragraph', 'para', 'article', 'table'],
  ...['version', 'ver', 'release', 'build', 'revision', 'rev', 'oid'],
  // A schema's or a spec's number (`"schema": "1.2.0.3"`, `spec: 2.1.0.3`)
  ...['schema', 'spec'],
]);
// Not `id`: a `contact_id` is a record's.
const NUMBER_WORDS = new Set(['no', 'num', 'nr', 'number']);
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const BARE_PHONE_DIGITS = /^\+?\d{8,15}$/;

// A JSON number under a phone key has lost its `+` and any leading 0: its 8-15 digits are the number.
const phoneField: FieldRule = (value) => {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && BARE_PHONE_DIGITS.test(String(value)) ? 'phone' : undefined;
  const text = textOf(value);
  if (text === undefined || text.length > 32) return undefined;
  const trimmed = text.trim();
  // The key is the phone word that `isPhone` asks for before a bare run of digits.
  return BARE_PHONE_DIGITS.test(trimmed) || isPhone(trimmed, `phone ${trimmed}`, 6) ? 'phone' : undefined;
};

// A product code (GS1 EAN/UPC/GTIN, ISBN, a SKU or barcode) passes a card's mod-10 check and names no person.
const PRODUCT_CODE_WORDS = new Set(
  'ean ean8 ean13 upc upca upce gtin gtin8 gtin12 gtin13 gtin14 isbn isbn10 isbn13 sku barcode'.split(' '),
);
const PRODUCT_CODE = /^[\dX -]{6,24}$/;
const productCodeField: FieldRule = (value) =>
  (typeof value === 'number' && Number.isSafeInteger(value)) ||
  (typeof value === 'string' && PRODUCT_CODE.test(value))
    ? KEEP_FIELD
    : undefined;

const numberingField: FieldRule = (value) =>
  typeof value === 'string' && DOTTED_QUAD.test(value) ? KEEP_FIELD : undefined;

// An owner/repo or other path (`deltacrown/user-profile`) under a name key names no person.
const PATH_VALUE = /^[^\s/]{1,100}(?:\/[^\s/]{1,100}){1,8}$/;
const nameUnlessPath: FieldRule = (value) =>
  typeof value === 'string' && PATH_VALUE.test(value) ? undefined : 'name';

/** The rule a key's last word gives (`mobile_no` → a phone field, `app_version` → a numbering one). */
function lastWordRule(words: readonly string[]): FieldRule | undefined {
  const end =
    words.length > 1 && NUMBER_WORDS.has(words[words.length - 1]) ? words.length - 2 : words.length - 1;
  const last = words[end];
  if (PHONE_FIELD_WORDS.has(last)) return phoneField;
  if (PRODUCT_CODE_WORDS.has(last) || PRODUCT_CODE_WORDS.has(words[end - 1] + last)) return productCodeField;
  return NUMBERING_WORDS.has(last) ? numberingField : undefined;
}

/**
 * The rule of a key whose value may be sensitive (or safe) other than by its name alone (once per key:
 * cached): for a key of no kind, one that may find a kind; for a `name` key, one that may clear a path.
 */
export function fieldRuleOf(key: string, kind?: string): FieldRule | undefined {
  if (kind !== undefined) return kind === 'name' ? nameUnlessPath : undefined;
  if (key.length > 40) return undefined;
  const words = splitKeyWords(key);
  return RULES.get(words.join('')) ?? lastWordRule(words);
}
