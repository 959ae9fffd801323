/**
 * Message identifiers written like addresses (`Message-ID: <5ab0…@mail.shop.example.com>`, RFC 5322
 * §3.6.4): an id the mail server made up, not a mailbox, so the e-mail pass leaves them.
 */
const ID_HEADER =
  /[ \t]*(?:message-id|in-reply-to|references|content-id|resent-message-id|x-message-id)[ \t]*:/iy;

// How far back the `<` of an id may be: ids put other characters before the address-shaped part
// (Gmail's `<CAF1=abc+x@mail.gmail.com>`), never more than this many.
const ID_PREFIX = 128;

/** Whether `<` opens the run of non-space characters that `start` is in (within `ID_PREFIX`). */
function inAngleBrackets(input: string, start: number): boolean {
  const stop = Math.max(0, start - ID_PREFIX);
  for (let i = start - 1; i >= stop; i--) {
    const c = input.charCodeAt(i);
    if (c === 60) return true; // <
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 62) return false; // space, tab, newline, >
  }
  return false;
}

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
    if (!inAngleBrackets(input, start)) return false;
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
