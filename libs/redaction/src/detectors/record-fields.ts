import { verhoeffValid } from '../checksums';
import { compactKey } from '../sensitive-keys';
import { namedNumberKind } from './context-numbers';
import { personNameValue } from './people';

/**
 * Fields whose name alone does not make them sensitive (`name`, `number`, `uid`) but whose value or
 * record does: a person's name in a record that describes a person, the number of an identity document
 * whose type a sibling field names, an Aadhaar number under `uid` (UIDAI's name for it). Decided per
 * value; `undefined` keeps the value for the ordinary scan.
 */
export type FieldRule = (value: unknown, record: object) => string | undefined;

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

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

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

const RULES: ReadonlyMap<string, FieldRule> = new Map([
  ['name', personName],
  ['nombre', personName],
  ['nom', personName],
  ['nome', personName],
  ['নাম', personName],
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

/** The rule of a key that is not sensitive by name, if its value may still be (once per key: cached). */
export const fieldRuleOf = (key: string): FieldRule | undefined =>
  key.length > 24 ? undefined : RULES.get(compactKey(key));
