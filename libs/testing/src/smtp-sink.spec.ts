import net from 'node:net';

import { startSmtpServer } from './smtp-sink';

/** A minimal SMTP client: sends each command after reading the server's reply, returns every reply. */
async function smtpConversation(port: number, commands: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const waiting: ((reply: string) => void)[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply is complete when its last line is "NNN text" (a space, not a dash, after the code).
    for (;;) {
      const match = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buffer);
      if (!match) break;
      buffer = buffer.slice(match[0].length);
      waiting.shift()?.(match[0]);
    }
  });
  const nextReply = () => new Promise<string>((resolve) => waiting.push(resolve));
  const replies = [await nextReply()];
  for (const command of commands) {
    const reply = nextReply();
    socket.write(`${command}\r\n`);
    replies.push(await reply);
  }
  socket.end();
  return replies;
}

describe('startSmtpServer', () => {
  it('receives a message over a raw SMTP conversation and parses it', async () => {
    const smtp = await startSmtpServer();
    try {
      expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
      const waiting = smtp.waitForMessage((mail) => mail.subject === 'Weekly report');
      const message = [
        'From: Vigil <vigil@localhost>',
        'To: oncall@example.test',
        'Subject: Weekly report',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Uptime 99.9%',
        '..a line starting with a dot',
        '.',
      ].join('\r\n');
      const replies = await smtpConversation(smtp.port, [
        'EHLO spec.local',
        'MAIL FROM:<vigil@localhost>',
        'RCPT TO:<oncall@example.test>',
        'DATA',
        message,
        'QUIT',
      ]);
      expect(replies[0]).toMatch(/^220 /);
      expect(replies[1]).not.toMatch(/STARTTLS/);
      expect(replies.slice(1).map((r) => r.slice(0, 3))).toEqual(['250', '250', '250', '354', '250', '221']);

      const mail = await waiting;
      expect(mail.from?.value[0]).toMatchObject({ name: 'Vigil', address: 'vigil@localhost' });
      expect(mail.text).toContain('Uptime 99.9%');
      expect(mail.text).toContain('.a line starting with a dot');
      expect(smtp.messages).toHaveLength(1);
      // A message already received is found without waiting.
      await expect(smtp.waitForMessage(undefined, 10)).resolves.toBe(mail);
      await expect(smtp.waitForMessage((m) => m.subject === 'other', 50)).rejects.toThrow(
        /Timed out after 50 ms/,
      );
    } finally {
      await smtp.stop();
    }
  });
});
