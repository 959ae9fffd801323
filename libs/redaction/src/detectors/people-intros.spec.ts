import { redactString } from '../index';

const NAME = '[REDACTED:name]';
const EMAIL = '[REDACTED:email]';

describe('a display name before an address in a quoted or listed value', () => {
  it.each([
    ["'Zubair Nahar Sultana <fahim_wjw67@mailbox.org>'", `'${NAME} <${EMAIL}>'`],
    ['to=[Rahim Uddin <rahim@example.com>]', `to=[${NAME} <${EMAIL}>]`],
    ['"Nusrat Jahan" <nusrat@example.com>', `"${NAME}" <${EMAIL}>`],
    ["'Shop Team <orders@shop.example>'", `'Shop Team <${EMAIL}>'`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([['"Foo Bar <baz>"'], ['List<String> Map<Key, Value>']])(
    'a type or a tag, not an address, stays: %s',
    (input) => {
      expect(redactString(input)).toBe(input);
    },
  );
});

describe('a self-introduction names a person', () => {
  it.each([
    ['ami Shafiq Jahan Siddiqua, amar account block', `ami ${NAME}, amar account block`],
    ['Hello, I am Shafiq Jahan and', `Hello, I am ${NAME} and`],
    ["I'm Rahim Uddin from Dhaka", `I'm ${NAME} from Dhaka`],
    ['hi, this is Nusrat Jahan Mim.', `hi, this is ${NAME}.`],
    ['my name is Karim Mia', `my name is ${NAME}`],
    ['আমার নাম তাহমিনা আরা মুন্সী', `আমার নাম ${NAME}`],
    ['আমি রহিম উদ্দিন বলছি', `আমি ${NAME} বলছি`],
    ['আমি তাহমিনা আরা, আমার টাকা আসেনি', `আমি ${NAME}, আমার টাকা আসেনি`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([
    ['I am Unable To Login'],
    ['This is Not Working'],
    ['this is Google Cloud'],
    ['I am using Chrome today'],
    ['this is a Django App'],
    ['Miami Heat Fans'],
    ['আমি টাকা পাঠিয়েছি, কিন্তু আসেনি'],
    ['আমি বিকাশে টাকা পাঠাতে পারছি না'],
    ['আমি এখন বলছি'],
  ])('a sentence that names no one stays: %s', (input) => {
    expect(redactString(input)).toBe(input);
  });
});
