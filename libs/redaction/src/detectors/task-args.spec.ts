import { redactString } from '../index';

describe('the arguments of a task named for a wallet or a phone', () => {
  it.each([
    [
      'Task wallet.tasks.payout_rocket[5f1c-22] received args:["018781087878","2500.00"]',
      'Task wallet.tasks.payout_rocket[5f1c-22] received args:["[REDACTED:account_number]","2500.00"]',
    ],
    [
      'task wallet.tasks.payout_rocket with args":["018781087878","2500.00"]',
      'task wallet.tasks.payout_rocket with args":["[REDACTED:account_number]","2500.00"]',
    ],
    [
      'Task bkash.tasks.refund[1] received args:["01712345678", 331]',
      'Task bkash.tasks.refund[1] received args:["[REDACTED:phone]", 331]',
    ],
    [
      "Task notify.tasks.send_msisdn_otp[9] received args:('8801812345678', 'en')",
      "Task notify.tasks.send_msisdn_otp[9] received args:('[REDACTED:phone]', 'en')",
    ],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([
    ['another task', 'Task orders.tasks.ship[1] received args:["018781087878", 331]'],
    ['an amount and an id', 'Task wallet.tasks.payout[1] received args:[20231231235959, "2500.00"]'],
    ['a 12-digit non-mobile', 'Task nagad.tasks.settle[1] received args:["123456789012"]'],
    ['a word inside another word', 'Task telephoneless.x[1] args:["018781087878"]'],
  ])('%s stays', (_name, input) => {
    expect(redactString(input)).toBe(input);
  });
});
