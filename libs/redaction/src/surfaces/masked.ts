const ONLY_STARS = /^\*+$/;
// What other scrubbers write in place of a value: Sentry's `[Filtered]`, Rails' `[FILTERED]`,
// `<redacted>`, `[hidden]`: nothing is left to remove.
const OTHER_SCRUBBERS = /^[[<](?:filtered|redacted|hidden|masked|removed|secret)[\]>]$/i;

/**
 * Whether a value was already masked by whoever wrote it (`****1111`, `XXXX-XXXX-XXXX-1111`,
 * `********`, `•••• 4242`): at least 4 mask characters, separators, then at most 4 kept characters.
 * Such a value is left alone: it holds nothing more to remove, and redacting it would hide the last
 * digits a support person needs.
 */
export function isMaskedValue(value: string): boolean {
  if (isMaskedInside(value)) return true;
  if (value.length < 4 || value.length > 64) return value.length === 3 && ONLY_STARS.test(value);
  if (value.charCodeAt(0) === 91 || value.charCodeAt(0) === 60) return OTHER_SCRUBBERS.test(value); // [ <
  let masks = 0;
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 42 || c === 88 || c === 120 || c === 0x2022 || c === 35)
      masks++; // * X x • #
    else if (c !== 45 && c !== 32) break; // - and space separate groups
  }
  if (masks < 4) return false;
  const kept = value.length - i;
  if (kept > 4) return false;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum) return false;
  }
  return true;
}

// A number masked in its middle by its writer (`01770***342`, `+8801*******08`, `017XXXXXX08`,
// `018-***-**51`): digits and separators around one run of 3+ mask characters (`*`, `X`, `x`, `•`).
const MASKED_NUMBER = /^\+?[\d -]{0,12}(?:[*•]{3,16}|X{3,16}|x{3,16})[\d*•Xx -]{0,12}$/;
// An e-mail masked in its local part (`r***@gmail.com`, `ra•••n@x.com`): at most 3 letters are shown.
const MASKED_EMAIL = /^[^\s@*•]{0,3}(?:[*•]{3,16})[^\s@*•]{0,2}@[\w.-]{1,64}$/;
// More real digits than this and the value still says too much (a full local number shows 8 or more).
const MAX_SHOWN_DIGITS = 8;
// A card or IBAN masked with 6+ mask characters in its groups (`432149XXXXXX0667`, `4321 49** **** 0667`,
// `DE** **** **** **** **34 56`): PCI DSS 3.4 allows the first 6 and last 4 digits of a card to be shown.
const MASKED_GROUPS = /^(?:[A-Z]{2})?[\d*•Xx -]{6,48}$/;
const MIN_WIDE_MASK = 6;
const MAX_SHOWN_WITH_WIDE_MASK = 10;

/**
 * Whether a number or an e-mail was masked in its middle by its writer (see `MASKED_NUMBER`,
 * `MASKED_EMAIL`), showing at most 8 of its digits (`01770***342`) and a full number never.
 */
function isMaskedInside(value: string): boolean {
  if (value.length < 6 || value.length > 80) return false;
  // Every masked shape has a run of 3 mask characters: most values leave here, before any regex.
  if (!value.includes('*') && !value.includes('•') && !value.includes('XXX') && !value.includes('xxx'))
    return false;
  if (value.includes('@')) return MASKED_EMAIL.test(value);
  const inMiddle = MASKED_NUMBER.test(value);
  if (!inMiddle && !MASKED_GROUPS.test(value)) return false;
  let digits = 0;
  let masks = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 42 || c === 88 || c === 120 || c === 0x2022) masks++;
  }
  if (inMiddle && digits <= MAX_SHOWN_DIGITS) return true;
  return masks >= MIN_WIDE_MASK && digits <= MAX_SHOWN_WITH_WIDE_MASK;
}

// A placeholder where a driver or ORM will bind the value (`%s`, `?`, `$1`, `%(email)s`, `:1`): the
// text holds no value, so there is nothing to replace (its value is in the printed parameters).
const PLACEHOLDER = /^(?:%s|\?|\$\d{1,4}|:\d{1,4}|%\([\w.]{1,64}\)s)$/;

export const isPlaceholder = (value: string): boolean => PLACEHOLDER.test(value);

// A reference to a value kept elsewhere: a shell or `.env` variable (`$DB_PASSWORD`, `${API_TOKEN}`),
// a CI or template expression (`${{ secrets.TOKEN }}`, `{{ api_key }}`), a Windows variable
// (`%API_KEY%`). The secret is not in the text. Shell variables are upper-case (`$ecret1` is a value),
// and a default inside the braces (`${PW:-hunter2}`) is not matched: it may be the secret itself.
// With an auth scheme before it (`Bearer $TOKEN` in a curl line).
const VARIABLE_REFERENCE =
  /^(?:(?:Bearer|Basic|Token|Bot) )?(?:\$[A-Z_][A-Z0-9_]{0,63}|\$\{[A-Za-z_]\w{0,63}\}|\$?\{\{[ \t]*[\w.]{1,64}[ \t]*\}\}|%[A-Z_][A-Z0-9_]{0,63}%)$/;

export const isVariableReference = (value: string): boolean =>
  value.length <= 80 && VARIABLE_REFERENCE.test(value);

// A bare value that holds no value: Python's `None` (`token=None` in a repr), JSON's `null`, a flag.
const NO_VALUE = /^(?:None|null|nil|undefined|true|false|True|False)$/;

export const isNoValue = (value: string): boolean => value.length <= 9 && NO_VALUE.test(value);

/** A value with nothing left to remove: masked by its writer, or a reference to a variable. */
export const holdsNoSecret = (value: string): boolean => isMaskedValue(value) || isVariableReference(value);
