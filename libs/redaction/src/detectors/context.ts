/**
 * Context words, after Presidio's `LemmaContextAwareEnhancer`: a word just before a number decides
 * what it is when its shape alone cannot (a bare digit run is a phone, an id or an order number).
 */

/** How far before a match context words are looked for (Presidio looks 5 tokens back). */
const WINDOW = 40;

export const textBefore = (input: string, index: number, window = WINDOW): string =>
  input.slice(Math.max(0, index - window), index);

// `order 017…`, `invoice no. 0123 456 789`, `tracking #: …`, `version 2 0 1`: the number belongs to the word.
const NOT_PERSONAL_BEFORE =
  /(?<![a-z])(?:order|invoice|inv|tracking|track|ticket|ref|reference|version|ver|build|release|txn|trx|trxid|transaction|shipment|awb|sku|po|receipt|booking|pnr|batch|job|case|incident|serial|model|part|item|product|isbn|port|pid|request|req|session|trace|span|build|commit|row|page|offset|count|total|amount|balance|price|qty|quantity|code|otp)\s*(?:no\.?|number|num|nr|id|code|#)?\s*[#:=.-]?\s*["']?$/i;

/** Whether a word just before `index` says the number there is a reference, not a person's. */
export const notPersonalBefore = (input: string, index: number): boolean =>
  NOT_PERSONAL_BEFORE.test(textBefore(input, index, 32));

// Phone context (Presidio's PhoneRecognizer CONTEXT plus Bengali, German, French, Portuguese, wallets).
// Chinese and Japanese write words without spaces (`联系电话`, `手机号`): their phone words need no boundary.
const PHONE_BEFORE =
  /(?:(?<!\p{L})(?:phone|tel|telephone|mobile|mob|cell|cellphone|whatsapp|viber|msisdn|fax|sms|contact|call me|reach me|hotline|landline|handy|telefon|téléphone|portable|celular|telefone|bkash|nagad|rocket|upay|ফোন|মোবাইল|নম্বর|নাম্বার|বিকাশ|নগদ|রকেট)(?!\p{L})|手机|手機|电话|電話|携帯|携帯電話|連絡先|联系方式)[^\n]{0,16}$/iu;

/** Whether a phone word comes shortly before `index`. */
export const phoneBefore = (input: string, index: number): boolean =>
  PHONE_BEFORE.test(textBefore(input, index, 32));

// A product code's name (GS1 EAN-8/13, UPC-A, GTIN-14, ISBN-10/13, a SKU or barcode): its digits pass
// the same mod-10 check as a card's, and it names no person (`ean=4006381333931`, `"gtin": "…"`).
const PRODUCT_CODE_BEFORE =
  /(?<![a-z])(?:ean(?:-?1[34]|-?8)?|upc(?:-?[ae])?|gtin(?:-?1[2-4]|-?8)?|isbn(?:-?1[03])?|sku|barcode|bar code)(?:[_ -]?(?:no\.?|number|code|id|value))?["']?[ \t]{0,4}[#:=]?[ \t]{0,4}["']?$/i;

/** Whether the name of a product code comes just before `index`. */
export const productCodeBefore = (input: string, index: number): boolean =>
  PRODUCT_CODE_BEFORE.test(textBefore(input, index, 32));
