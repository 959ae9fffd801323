import type { Replacer } from '../strategies';
import { ROLE_LOCAL_PARTS } from './address-lookalikes';
import type { PatternDetector } from '../value-detectors';

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DATE = [
  String.raw`\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})`,
  String.raw`\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}`,
  String.raw`\d{1,2}(?:st|nd|rd|th)?[ \-](?:of )?${MONTH}[ \-,]{1,2}\d{4}`,
  String.raw`${MONTH} \d{1,2}(?:st|nd|rd|th)?,? \d{4}`,
  // Python's repr of a date field: `dob=datetime.date(1990, 3, 12)`
  String.raw`(?:datetime\.)?date\(\d{4}, ?\d{1,2}, ?\d{1,2}\)`,
].join('|');

/**
 * A date right after a birth word (Presidio's DateRecognizer finds every date; only a birth date is
 * personal, so the word is required): `born 12/03/1990`, `DOB: 1990-03-12`, `জন্ম তারিখ: ১২/০৩/১৯৯০`.
 */
const BIRTH_DATE = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])((?:born(?: on)?|d\.?o\.?b\.?|date[ _]of[ _]birth|birth[ _]?date|birthday|geburtsdatum|geboren(?: am)?|née? le|date de naissance|fecha de nacimiento|data de nascimento|জন্ম ?তারিখ|জন্মদিন|জন্ম)(?!\p{L})["']?\s{0,3}(?:[:=\-]|is)?\s{0,3}["']?)(${DATE})(?![\p{N}])`,
  'giu',
);

/** Whether a birth word may be in `input`: a cheap test before `BIRTH_DATE` (which also needs a date). */
export const BIRTH_WORD = /born|birth|dob|d\.o\.b|geb|naci|nasc|née|naissance|জন্ম/i;

export function birthDateDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'date-of-birth',
    kinds: ['date_of_birth'],
    // A birth word has 3+ letters (`dob`, `born`, `জন্ম` counts as non-ASCII): bare numbers skip the regex.
    gate: (input, f) => f.digits >= 4 && (f.lower + f.upper >= 3 || f.nonAscii) && BIRTH_WORD.test(input),
    pattern: BIRTH_DATE,
    replace: (m) => m[1] + replacer.value('date_of_birth', m[2]),
  };
}

// A capitalised name word (`Rahim`, `O'Brien`, `Jean-Luc`); all capitals after `Name:` (`RAHIM UDDIN`).
const WORD = String.raw`\p{Lu}\p{Ll}{1,20}(?:['’\-]\p{Lu}?\p{Ll}{1,20})?(?![\p{L}\p{N}_])`;
const WORDS = (min: number, max: number): string =>
  String.raw`${WORD}(?:[ \t]${WORD}){${min - 1},${max - 1}}`;
const CAPS = String.raw`\p{Lu}{2,20}\.?(?: \p{Lu}{2,20}){1,3}(?![\p{L}\p{N}_])`;
// Bengali letters and signs, not its digits (০-৯ are U+09E6–U+09EF).
const BENGALI_WORD = String.raw`[\u0980-\u09e5\u09f0-\u09ff]{2,20}`;
const BENGALI = String.raw`${BENGALI_WORD}(?: ${BENGALI_WORD}){0,3}`;

/**
 * Where the structure of the text says a person is named (no model guesses from capitals alone):
 * each alternative is a prefix group, kept, and a name group, replaced.
 */
const PERSON_SHAPES: [prefix: string, name: string][] = [
  // Salutations: `Dear Rahim Uddin,` `Hi Nusrat,`
  [String.raw`(?<!\p{L})(?:Dear|Hi|Hello|Hey)[ \t]+`, String.raw`${WORDS(1, 4)}(?=[ \t]*(?:[,!:\n]|$))`],
  // Greetings with a comma: `Welcome, Rahim Uddin!` `Congratulations, Nusrat.`
  [
    String.raw`(?<!\p{L})(?:Welcome(?: back)?|Congratulations|Congrats),[ \t]*`,
    String.raw`${WORDS(1, 4)}(?=[ \t]*(?:[,!.:\n]|$))`,
  ],
  // Titles: `Mr. Karim`, `Dr Farhana Akter`, `Md. Rahim Uddin`, `Mst. Ayesha`
  [String.raw`(?<!\p{L})(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Md|Mst|Mohammad|Sheikh)\.?[ \t]+`, WORDS(1, 4)],
  // Fields: `Name: Rahim Uddin`, `Account holder: RAHIM UDDIN`
  [
    String.raw`(?<![\p{L}_])(?:[Ff]ull [Nn]ame|[Cc]ustomer [Nn]ame|[Aa]ccount [Nn]ame|[Hh]older [Nn]ame|[Cc]ardholder(?: [Nn]ame)?|[Aa]ccount [Hh]older|[Bb]eneficiary(?: [Nn]ame)?|[Nn]ominee|[Ff]ather(?:'?s [Nn]ame)?|[Mm]other(?:'?s [Nn]ame)?|[Hh]usband(?:'?s [Nn]ame)?|[Gg]uardian(?: [Nn]ame)?|[Ss]pouse(?: [Nn]ame)?|[Pp]atient(?: [Nn]ame)?|[Rr]ecipient(?: [Nn]ame)?|[Rr]eceiver(?: [Nn]ame)?|[Ss]ender(?: [Nn]ame)?|[Pp]ayee(?: [Nn]ame)?|[Pp]ayer(?: [Nn]ame)?|[Cc]onsignee|[Aa]pplicant(?: [Nn]ame)?|[Cc]ontact (?:[Pp]erson|[Nn]ame)|[Nn]ame on [Cc]ard|[Aa]ttn\.?|Name)[ \t]*[:=][ \t]*["']?`,
    String.raw`${WORDS(1, 4)}|${CAPS}`,
  ],
  // A role word, or a person's `name` field in code (`name=`, `customer_name': '`, a gateway's `cus_name=`,
  // `name_en=`), then two or more name words: `customer Nusrat Jahan`, `User(name='Rahim Uddin')`
  [
    String.raw`(?<![\p{L}_])(?:[Cc]ustomer|[Cc]lient|[Pp]atient|[Aa]pplicant|[Ee]mployee|[Mm]ember|[Bb]eneficiary|[Rr]ecipient|[Ss]ender|[Cc]ardholder|[Aa]ccount holder|[Nn]ominee|[Pp]assenger|[Gg]uest|[Bb]orrower|[Dd]epositor|[Uu]ser)[ \t]+|(?<![\p{L}\p{N}_])(?:(?:(?:customer|client|user|full|first|last|legal|real|holder|account|contact|sender|receiver|recipient|beneficiary|patient|employee|member|father|mother|spouse|nominee|card_?holder|display)_?)?name(?:_(?:en|bn))?|(?:cus|cust|customer)_(?:name|nm))["']?[ \t]*[:=][ \t]*["']?`,
    WORDS(2, 4),
  ],
  // An address's display name of two or more words (one word is mostly a product): `From: Rahim Uddin <…>`
  [String.raw`(?<!\p{L})(?:From|To|Cc|Reply-To|Sender):[ \t]*"?`, String.raw`${WORDS(2, 4)}(?="?[ \t]*<)`],
  // A quoted or listed address with its display name, as a frame variable or a recipient list prints it:
  // `'Zubair Nahar Sultana <zubair@…>'`, `to=[Rahim Uddin <…>]`. The address may be a marker already;
  // before a role mailbox (`Delta Crown <noreply@…>`) the name is a company's.
  [
    String.raw`(?<![^\n"'(\[,;:=])[ \t]{0,8}`,
    String.raw`${WORDS(2, 4)}(?=["']?[ \t]*<(?!(?:${ROLE_LOCAL_PARTS.join('|')})@)(?:[^<>\s@]{1,64}@|\[REDACTED|\[HASH:|\*{4}))`,
  ],
  // A self-introduction of two or more name words: `I am Shafiq Jahan`, `this is Nusrat Jahan`, Banglish
  // `ami Shafiq Jahan Siddiqua` ("I am"). One capital word after `I am` is mostly a state (`I am Unable`).
  [
    String.raw`(?<![\p{L}\p{N}_'])(?:[Aa]mi|I am|I'm|I’m|[Tt]his is|[Mm]y name's|[Aa]mar nam|[Aa]mar naam)[ \t]+`,
    WORDS(2, 4),
  ],
  // Bengali: `আমি রহিম উদ্দিন বলছি` ("I am … speaking"), `আমি রহিম উদ্দিন, …`: the name ends at the
  // verb or the comma (a sentence `আমি টাকা পাঠিয়েছি` has neither).
  [String.raw`(?<!\p{L})আমি[ \t]+`, String.raw`${BENGALI_WORD}(?: ${BENGALI_WORD}){0,3}(?=[ \t]*(?:বলছি|,))`],
  // Signatures: `signed by Rahim Uddin`, `Regards,\nNusrat Jahan`
  [
    String.raw`(?<!\p{L})(?:[Ss]igned by|[Aa]pproved by|[Ss]ubmitted by|[Vv]erified by|[Pp]repared by|[Rr]eferred by|my name is|My name is):?[ \t]+`,
    WORDS(1, 4),
  ],
  // Who did something, two or more name words: `ordered by Nusrat Jahan`, `assigned to Rahim Uddin`
  [
    String.raw`(?<!\p{L})(?:[Ss]ent by|[Oo]rdered by|[Rr]equested by|[Cc]reated by|[Rr]eported by|[Pp]aid by|[Pp]laced by|[Bb]ooked by|[Aa]ssigned to|[Oo]n behalf of)[ \t]+`,
    WORDS(2, 4),
  ],
  // A quoted reply's attribution: `On Mon, 1 Jan 2024 at 10:00, Rahim Uddin <rahim@…> wrote:`
  [String.raw`,[ \t]*`, String.raw`${WORDS(2, 4)}(?=[ \t]*<[^<>\n]{1,254}>[ \t]*wrote:)`],
  [
    String.raw`(?<!\p{L})(?:Regards|Best regards|Kind regards|Warm regards|Warmest regards|Thanks (?:&|and) regards|Best|Best wishes|Many thanks|With thanks|Sincerely|Yours sincerely|Yours faithfully|Respectfully|Thanks|Thank you|Cheers|Yours truly),?[ \t]*\r?\n[ \t]*`,
    String.raw`${WORDS(1, 4)}(?![ \t]*\p{L})`,
  ],
  // A mail signature after its delimiter line (`-- `, RFC 3676 §4.3): `--\nAmelia Kowalski\nMobile: …`
  [String.raw`(?<![^\n])--[ \t]?\r?\n[ \t]*`, String.raw`${WORDS(2, 4)}(?=[ \t]*(?:\r?\n|$))`],
  // Bengali: `নাম: রহিম উদ্দিন`, `জনাব করিম`
  [String.raw`(?:নাম|পিতার নাম|মাতার নাম|জনাব|মোঃ|মোছাঃ)[ \t]*[:：]?[ \t]*`, BENGALI],
  // `পিতা: আব্দুল করিম` (father), mother, husband, wife: common words, so only as a field with a colon
  [String.raw`(?:পিতা|মাতা|স্বামী|স্ত্রী)[ \t]*[:：][ \t]*`, BENGALI],
];

const PERSON = new RegExp(PERSON_SHAPES.map(([prefix, name]) => `(${prefix})(${name})`).join('|'), 'gu');

// Capitalised words that follow these cues without being a name: `Dear Customer,` `Name: Default`,
// `customer Support Team`, `User Agent String`, `Client Credentials Grant`.
const NOT_NAMES = new Set(
  `
sir madam customer customers user users team all colleague colleagues friend friends member members
valued support service services admin administrator manager hiring there everyone world account
accounts profile settings portal app api order orders payment payments success error failed not
found default unknown none null test demo example sample system bot noreply no reply notifications
notification billing sales info security alerts alert cloud google microsoft amazon github slack
stripe bkash nagad rocket bank limited ltd inc company group online mobile web id name type status
new old update updated created deleted care desk help helpdesk operations ops office department
agent interface experience journey story guide manual data input role roles permission permissions
session sessions management model details list search lookup registration login logout dashboard
view page form request requests feedback review reviews number email phone address credentials grant
secret token certificate library side version application sdk code checkout flow policy framework
since segment cohort tier level plan premium gold silver free trial record records excel word teams
store shop cart wallet card cards invoice report reports event events job
pro plus max mini ultra lite edition series kit pack bundle platinum bronze diamond basic standard
guest aboard home business enterprise north south east west central city town road street avenue branch hub warehouse
zone district division market bazar plaza tower park square mall station airport
`
    .trim()
    .split(/\s+/),
);

// After `আমি` ("I"), a word that ends as a verb does (`পাঠিয়েছি`, `করলাম`, `যাবো`, `করতে`) or a
// negation makes a sentence, not a name.
const BENGALI_NOT_NAME = /(?:ছি|ছে|লাম|বো|তে)$|^(?:না|নি|টাকা|একজন|এখন|আজ)$/u;

function personName(m: RegExpExecArray): [prefix: string, name: string] | undefined {
  for (let group = 1; group < m.length; group += 2) {
    const name = m[group + 1];
    if (name === undefined) continue;
    const words = name.toLowerCase().split(/[ \t]+/);
    if (words.some((word) => NOT_NAMES.has(word) || BENGALI_NOT_NAME.test(word))) return undefined;
    return [m[group], name];
  }
  return undefined;
}

// A whole value shaped as a person's name: one to four capitalised words, capitals (`TANVIR SARKER`),
// or Bengali words (`রহিম উদ্দিন`).
const NAME_VALUE = new RegExp(String.raw`^(?:${WORDS(1, 4)}|${CAPS}|${BENGALI})$`, 'u');

/**
 * How many words a field's whole value has when it reads as a person's name (none of its words a
 * common non-name), or 0.
 */
export function personNameValue(value: string): number {
  if (value.length > 80 || !NAME_VALUE.test(value)) return 0;
  const words = value.toLowerCase().split(/[ \t]+/);
  return words.some((word) => NOT_NAMES.has(word.replace(/\.$/, ''))) ? 0 : words.length;
}

export function personNameDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'person-name',
    kinds: ['name'],
    // Every cue but a few one-word ones (`signed by Farhana`) brings two capitals.
    // Bengali and other scripts' names need their letters: a run of Bengali digits is no name.
    gate: (input, f) => (f.upper >= 2 && (f.space || input.includes('\n'))) || f.otherLetter,
    pattern: PERSON,
    replace(m) {
      const found = personName(m);
      return found === undefined ? undefined : found[0] + replacer.value('name', found[1]);
    },
  };
}
