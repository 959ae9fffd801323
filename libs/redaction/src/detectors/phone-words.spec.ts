import { redactString } from '../index';

const PHONE = '[REDACTED:phone]';

describe('phone words of other scripts and dotted groupings', () => {
  it.each([
    ['手机号 139 5495 7239', `手机号 ${PHONE}`],
    ['手机号13954957239', `手机号${PHONE}`],
    ['联系电话：13954957239', `联系电话：${PHONE}`],
    ['電話 139-5495-7239', `電話 ${PHONE}`],
    ['携帯: 090 1234 5678', `携帯: ${PHONE}`],
    ['contact: 01536.259.764', `contact: ${PHONE}`],
    ['whatsapp 01536.259.764 please', `whatsapp ${PHONE} please`],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([
    ['an order number in Chinese', '订单号 13954957239'],
    ['a price in Chinese', '价格 139 5495 7239'],
    ['a dotted BD-mobile shape with no phone word', 'checksum 01536.259.764'],
    ['a dotted BD-mobile shape after a version word', 'version 01536.259.764'],
  ])('%s stays', (_name, input) => {
    expect(redactString(input)).toBe(input);
  });
});
