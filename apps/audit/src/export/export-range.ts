import { open } from 'node:fs/promises';

import { checkedLog, RangeChecker, splitLines, type PortableLog, type RangeResult } from './export-lines';

const BLOCK = 8 << 20;

/**
 * Checks the event lines in bytes [start, end) of an export file (start at a line's first byte); an
 * unterminated last line is checked too (a file cut short fails there). Reads 8 MiB at a time.
 */
export async function checkRange(
  file: string,
  start: number,
  end: number,
  logs: readonly PortableLog[],
): Promise<RangeResult> {
  const checker = new RangeChecker(new Map(logs.map((log) => [log.category, checkedLog(log)])));
  const handle = await open(file, 'r');
  try {
    const block = Buffer.allocUnsafe(BLOCK);
    let carry: Buffer = Buffer.alloc(0);
    for (let at = start; at < end;) {
      const { bytesRead } = await handle.read(block, 0, Math.min(BLOCK, end - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
      const split = splitLines(carry, block.subarray(0, bytesRead), (text) => checker.check(text));
      if (split.stopped) return checker.finish();
      carry = split.rest;
    }
    if (carry.length > 0) checker.check(carry.toString('utf8'));
    return checker.finish();
  } finally {
    await handle.close();
  }
}
