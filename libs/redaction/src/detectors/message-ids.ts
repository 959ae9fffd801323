/**
 * Message identifiers written like addresses (`Message-ID: <5ab0…@mail.shop.example.com>`, RFC 5322
 * §3.6.4): an id the mail server made up, not a mailbox, so the e-mail pass leaves them.
 */
const ID_HEADER =
  /[ \t]*(?:message-id|in-reply-to|references|content-id|resent-message-id|x-message-id)[ \t]*:/iy;

/**
 * A test of whether the address-shaped text at `start` sits in `<…>` on a Message-ID-like header line.
 * Asked with increasing `start` (the e-mail pass goes left to right), it reads each character once in
 * all: the line start is carried forward, not searched back for from every address.
 */
export function messageIdHeaderTest(input: string): (start: number) => boolean {
  let lineStart = 0;
  // The first newline at or after `lineStart` (searched once per line; -2: not searched yet).
  let lineEnd = -2;
  let known = false;
  let idLine = false;
  return (start) => {
    if (start === 0 || input.charCodeAt(start - 1) !== 60) return false; // not after `<`
    if (lineEnd === -2) lineEnd = input.indexOf('\n', lineStart);
    while (lineEnd !== -1 && lineEnd < start) {
      lineStart = lineEnd + 1;
      known = false;
      lineEnd = input.indexOf('\n', lineStart);
    }
    if (!known) {
      ID_HEADER.lastIndex = lineStart;
      idLine = ID_HEADER.test(input);
      known = true;
    }
    return idLine;
  };
}
