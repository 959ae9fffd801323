import { redact, redactString } from '../index';

const EMAIL = '[REDACTED:email]';

describe('text shaped like an e-mail address that is not one stays', () => {
  it.each([
    [
      'a Sentry DSN (its key is public)',
      'SENTRY_DSN=https://1e1bf0605ad20a66053b307512ef8fc5@o255401.ingest.sentry.io/2401239',
    ],
    ['the user of an ssh URL', 'cloning ssh://git@gitlab.example.com:2222/shop/api.git'],
    ['an scp-style git remote', 'git@github.com:vigil-org/vigil.git'],
    ['an scp target with an absolute path', 'rsync -a dist/ deploy@web1.example.com:/srv/app/'],
    ['a Message-ID with a UUID', 'Message-ID: <b558e576-9427-4422-bc12-3a501d3c3724@mg.shop.example.com>'],
    ['a Message-ID of digits and dots', 'In-Reply-To: <20260102123456.98765.1@mail.example.com>'],
  ])('%s', (_name, input) => {
    expect(redactString(input)).toBe(input);
  });

  it('a Message-ID in an object stays', () => {
    const event = { 'message-id': '<0b6c2a1e-3f4d-4c5b-9a8e-7d6c5b4a3f2e@mail.example.com>' };
    expect(redact(event)).toEqual(event);
  });
});

describe('addresses next to those shapes are still removed', () => {
  it.each([
    ['in angle brackets', 'From: Shop <tanvir.hossain963@example.com>', `From: Shop <${EMAIL}>`],
    ['a short id-like local part', 'To: <u1234567@example.com>', `To: <${EMAIL}>`],
    ['a mailto link', 'href="mailto:rahim.uddin@example.com"', `href="mailto:${EMAIL}"`],
    ['before a colon and a space', 'rahim@example.com: bounced', `${EMAIL}: bounced`],
    ['before a colon and a port-less word', 'reply to rahim@example.com:thanks', `reply to ${EMAIL}:thanks`],
    [
      'an address as the user of a URL',
      'smtp://tanvir@shop.example.com@smtp.example.net:587',
      `smtp://${EMAIL}@smtp.example.net:587`,
    ],
    [
      'an encoded address as the user of a URL',
      'smtp://tanvir%40shop.example.com:@smtp.example.net',
      `smtp://${EMAIL}:@smtp.example.net`,
    ],
    [
      'a student id address in brackets',
      'To: Student <student.2019331045@sust.edu>',
      `To: Student <${EMAIL}>`,
    ],
    // A role mailbox (`support@`, `postmaster@`) is removed like any address, as Presidio and Relay do: the
    // reports plant one as a personal value, and a domain can name a person (`support@rahim-uddin.me`).
    ['a support mailbox', 'To: support@deltacrown.example', `To: ${EMAIL}`],
    ['an RFC 2142 mailbox', 'postmaster@example.com bounced', `${EMAIL} bounced`],
    ['a personal address beside a role one', 'cc info@x.com, rahim@x.com', `cc ${EMAIL}, ${EMAIL}`],
    ['a digit-heavy address outside brackets', 'user 8801712345678901@example.com', `user ${EMAIL}`],
  ])('%s', (_name, input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});
