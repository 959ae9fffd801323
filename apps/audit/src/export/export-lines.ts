import { hash } from 'node:crypto';

import { recordLeafHash } from './export-format';

/**
 * The per-line checks of an export's event lines, over one contiguous range of lines (the whole file, or
 * one worker's share of it). Pure: no I/O, so the CLI runs it in-process or in worker threads alike.
 */

/** A log of the export's header, with its checkpoint already verified. */
export interface CheckedLog {
  category: string;
  /** Position in the header: lines are ordered by it, then by leaf index. */
  rank: number;
  size: number;
  root: Buffer;
}

export interface BadLine {
  /** 1-based line number within the range checked. */
  line: number;
  event_id: string | null;
  problem: string;
}

export interface LinePosition {
  line: number;
  category: string;
  rank: number;
  leaf_index: number;
  prev_leaf_index: number | null;
}

export interface RangeResult {
  lines: number;
  /** 32-byte leaf hash of every event line checked, in order (the trailer's digest covers them). */
  leafHashes: Buffer;
  counts: Record<string, number>;
  first: LinePosition | null;
  last: LinePosition | null;
  /** The first line of each log within the range: its prev_leaf_index is checked across ranges. */
  firstOfLog: Record<string, LinePosition>;
  /** The last leaf index of each log within the range. */
  lastOfLog: Record<string, number>;
  /** Node hashes computed (the rest of the proofs' steps were shared with earlier lines). */
  nodeHashes: number;
  bad: BadLine | null;
}

const HASH_B64 = /^[A-Za-z0-9+/]{43}=$/;

class LineDefect extends Error {}

/** A node hash computed once: its children (as bytes and, once seen, as the proofs' base64 text). */
interface MemoNode {
  fn: number;
  left: Buffer;
  right: Buffer;
  leftText: string | null;
  rightText: string | null;
  out: Buffer;
}

/**
 * RFC 9162 §2.1.3.2 inclusion verification, memoised: a node hash depends only on its two children, so
 * once computed, a later proof step over the same two children (from either side) reuses it. Proofs of
 * neighbouring leaves share all but their lowest steps, so a contiguous, ordered export costs one hash
 * per inner node, as recomputing the range's subtrees from its leaves would; scattered leaves share only
 * their upper steps and cost up to a full proof each (the per-leaf fallback), whatever their order.
 */
class InclusionWalker {
  private readonly memo: (MemoNode | undefined)[] = [];
  private readonly scratch = Buffer.alloc(65);
  private readonly sibling = Buffer.alloc(32);
  hashes = 0;

  constructor(private readonly log: CheckedLog) {
    this.scratch[0] = 1;
  }

  /** Whether `proof` leads from `leaf` at `index` to the checkpoint's root. */
  verify(index: number, leaf: Buffer, proof: readonly unknown[]): boolean {
    let fn = index;
    let sn = this.log.size - 1;
    let level = 0;
    let r = leaf;
    for (const p of proof) {
      if (sn === 0 || typeof p !== 'string') return false;
      const siblingOnLeft = fn % 2 === 1 || fn === sn;
      if (siblingOnLeft && fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
          level += 1;
        }
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
      level += 1;
      const out = this.step(level, fn, siblingOnLeft, r, p);
      if (!out) return false;
      r = out;
    }
    return sn === 0 && r.equals(this.log.root);
  }

  /** The parent of `child` and the sibling `text`: from the memo when it holds these children, else hashed. */
  private step(
    level: number,
    fn: number,
    siblingOnLeft: boolean,
    child: Buffer,
    text: string,
  ): Buffer | null {
    const seen = this.memo[level];
    if (seen && seen.fn === fn) {
      const [seenChild, seenText] = siblingOnLeft ? [seen.right, seen.leftText] : [seen.left, seen.rightText];
      if (seenText === text && (seenChild === child || seenChild.equals(child))) return seen.out;
      if (!HASH_B64.test(text)) return null;
      this.sibling.write(text, 0, 32, 'base64');
      const seenSibling = siblingOnLeft ? seen.left : seen.right;
      if (seenSibling.equals(this.sibling) && (seenChild === child || seenChild.equals(child))) {
        if (siblingOnLeft) seen.leftText = text;
        else seen.rightText = text;
        return seen.out;
      }
    } else if (!HASH_B64.test(text)) {
      return null;
    } else {
      this.sibling.write(text, 0, 32, 'base64');
    }
    const sibling = Buffer.from(this.sibling);
    const [left, right] = siblingOnLeft ? [sibling, child] : [child, sibling];
    left.copy(this.scratch, 1);
    right.copy(this.scratch, 33);
    this.hashes += 1;
    const out = hash('sha256', this.scratch, 'buffer');
    this.memo[level] = {
      fn,
      left,
      right,
      leftText: siblingOnLeft ? text : null,
      rightText: siblingOnLeft ? null : text,
      out,
    };
    return out;
  }
}

interface ParsedLine {
  type?: unknown;
  category?: unknown;
  leaf_index?: unknown;
  prev_leaf_index?: unknown;
  id?: unknown;
  leaf_hash?: unknown;
  proof?: unknown;
  record?: unknown;
}

const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function parseLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LineDefect('not a JSON line');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new LineDefect('not a JSON object');
  return value;
}

/** The record's own fields must say what the line says: its log, its position (seq = leaf + 1), its id. */
function checkRecord(line: ParsedLine, category: string, index: number): void {
  if (typeof line.record !== 'string')
    throw new LineDefect('record is missing (must be the canonical record text)');
  let record: unknown;
  try {
    record = JSON.parse(line.record);
  } catch {
    throw new LineDefect('record does not parse as JSON');
  }
  const r = (record ?? {}) as { category?: unknown; seq?: unknown; id?: unknown; event?: { id?: unknown } };
  if (r.category !== category)
    throw new LineDefect(`record's category ${JSON.stringify(r.category)} is not the line's log ${category}`);
  if (r.seq !== index + 1)
    throw new LineDefect(`record's seq ${JSON.stringify(r.seq)} is not leaf index ${index} + 1`);
  if (typeof r.event !== 'object' || r.event === null || r.event.id !== r.id || r.id !== line.id) {
    throw new LineDefect(`record's id ${JSON.stringify(r.id)} is not the line's id or its event's id`);
  }
}

/** Checks the event lines of one range; stops at its first bad line. */
export class RangeChecker {
  private readonly walkers = new Map<string, InclusionWalker>();
  private readonly leafHashes: Buffer[] = [];
  private readonly result: RangeResult = {
    lines: 0,
    leafHashes: Buffer.alloc(0),
    counts: {},
    first: null,
    last: null,
    firstOfLog: {},
    lastOfLog: {},
    nodeHashes: 0,
    bad: null,
  };
  private readonly lastOfLog = new Map<string, number>();

  constructor(private readonly logs: ReadonlyMap<string, CheckedLog>) {}

  /** Checks one line; false once a bad line was found (the range stops there). */
  check(text: string): boolean {
    if (this.result.bad) return false;
    const lineNo = this.result.lines + 1;
    let id: string | null = null;
    try {
      const line = parseLine(text);
      id = typeof line.id === 'string' ? line.id : null;
      const position = this.position(line, lineNo);
      checkRecord(line, position.category, position.leaf_index);
      const leaf = recordLeafHash(line.record as string);
      if (line.leaf_hash !== leaf.toString('base64')) {
        throw new LineDefect('leaf_hash is not SHA-256(0x00 ‖ record): the record or its hash was edited');
      }
      if (!Array.isArray(line.proof)) throw new LineDefect('proof is missing');
      const walker = this.walker(position.category);
      if (!walker.verify(position.leaf_index, leaf, line.proof)) {
        const log = this.logs.get(position.category) as CheckedLog;
        throw new LineDefect(
          `inclusion proof does not lead to the ${position.category} checkpoint's root (size ${log.size}): the record is not the one the log holds at leaf ${position.leaf_index}`,
        );
      }
      this.accept(position, leaf);
      return true;
    } catch (error) {
      if (!(error instanceof LineDefect)) throw error;
      this.result.bad = { line: lineNo, event_id: id, problem: error.message };
      return false;
    }
  }

  finish(): RangeResult {
    this.result.leafHashes = Buffer.concat(this.leafHashes);
    this.result.lastOfLog = Object.fromEntries(this.lastOfLog);
    this.result.nodeHashes = [...this.walkers.values()].reduce((sum, w) => sum + w.hashes, 0);
    return this.result;
  }

  /** The line's log and leaf, in order after the previous line, following the previous leaf of its log. */
  private position(line: ParsedLine, lineNo: number): LinePosition {
    if (line.type === 'trailer') throw new LineDefect('a trailer before the end of the file');
    if (line.type !== 'event') throw new LineDefect(`not an event line (type ${JSON.stringify(line.type)})`);
    const log = typeof line.category === 'string' ? this.logs.get(line.category) : undefined;
    if (!log) throw new LineDefect(`log ${JSON.stringify(line.category)} has no checkpoint in the header`);
    if (!isIndex(line.leaf_index)) throw new LineDefect('leaf_index is not a non-negative integer');
    if (line.leaf_index >= log.size) {
      throw new LineDefect(
        `leaf ${line.leaf_index} is beyond the ${log.category} checkpoint's size ${log.size}`,
      );
    }
    const prev = line.prev_leaf_index;
    if (prev !== null && !isIndex(prev)) throw new LineDefect('prev_leaf_index is not null or a leaf index');
    const position: LinePosition = {
      line: lineNo,
      category: log.category,
      rank: log.rank,
      leaf_index: line.leaf_index,
      prev_leaf_index: prev,
    };
    const last = this.result.last;
    if (
      last &&
      (last.rank > log.rank || (last.rank === log.rank && last.leaf_index >= position.leaf_index))
    ) {
      throw new LineDefect(
        `out of order: leaf ${position.leaf_index} of ${log.category} follows leaf ${last.leaf_index} of ${last.category} (records reordered or repeated)`,
      );
    }
    const before = this.lastOfLog.get(log.category);
    if (before !== undefined && prev !== before) {
      throw new LineDefect(missingBefore(log.category, before, prev));
    }
    return position;
  }

  private accept(position: LinePosition, leaf: Buffer): void {
    this.result.lines += 1;
    this.leafHashes.push(leaf);
    this.result.counts[position.category] = (this.result.counts[position.category] ?? 0) + 1;
    this.result.first ??= position;
    this.result.last = position;
    if (!this.lastOfLog.has(position.category)) this.result.firstOfLog[position.category] = position;
    this.lastOfLog.set(position.category, position.leaf_index);
  }

  private walker(category: string): InclusionWalker {
    let walker = this.walkers.get(category);
    if (!walker) {
      walker = new InclusionWalker(this.logs.get(category) as CheckedLog);
      this.walkers.set(category, walker);
    }
    return walker;
  }
}

/** Why a line's prev_leaf_index does not name the previous exported leaf of its log. */
export function missingBefore(category: string, previous: number | null, claimed: unknown): string {
  const name = (leaf: unknown) => (leaf === null ? 'none' : `leaf ${JSON.stringify(leaf)}`);
  return `a record is missing or moved before this line: it follows ${name(claimed)} of ${category}, the line before it in the file is ${name(previous)}`;
}

/** Feeds the complete lines of a byte stream to `onLine`; returns the bytes of an unfinished last line. */
export function splitLines(
  carry: Buffer,
  block: Buffer,
  onLine: (text: string) => boolean,
): { rest: Buffer; stopped: boolean } {
  const data = carry.length > 0 ? Buffer.concat([carry, block]) : block;
  let start = 0;
  for (;;) {
    const end = data.indexOf(10, start);
    if (end < 0) break;
    if (!onLine(data.toString('utf8', start, end))) return { rest: Buffer.alloc(0), stopped: true };
    start = end + 1;
  }
  return { rest: Buffer.from(data.subarray(start)), stopped: false };
}

/** A log as it travels to a worker thread (structured clone keeps no Buffer class). */
export interface PortableLog {
  category: string;
  rank: number;
  size: number;
  root: string;
}

export const portableLog = (log: CheckedLog): PortableLog => ({ ...log, root: log.root.toString('base64') });
export const checkedLog = (log: PortableLog): CheckedLog => ({
  ...log,
  root: Buffer.from(log.root, 'base64'),
});
