/**
 * C2SP tlog-tiles addressing over the stored complete subtrees. A tile of level L holds up to 256
 * consecutive hashes of Merkle level 8·L: tile N's hash i is the complete subtree of 2^(8·L) leaves
 * number N·256 + i, i.e. audit_merkle_nodes (level 8·L, node_index N·256 + i). Level 0 tiles are the leaf
 * hashes; entry bundles are the leaves' bytes.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileAddress {
  /** `null` for an entry bundle (`tile/entries/...`). */
  level: number | null;
  index: number;
  /** The width of a partial tile (1..255); null for a full one. */
  width: number | null;
}

/** Merkle level, first node index and count of the hashes (or leaves, for entries) a tile holds. */
export function tileSpan(tile: TileAddress): { merkleLevel: number; from: number; count: number } {
  return {
    merkleLevel: (tile.level ?? 0) * TILE_HEIGHT,
    from: tile.index * TILE_WIDTH,
    count: tile.width ?? TILE_WIDTH,
  };
}

/** Whether a tree of `size` leaves holds every hash the tile names (a partial tile of exactly its width is served too). */
export function tileAvailable(tile: TileAddress, size: number): boolean {
  const { merkleLevel, from, count } = tileSpan(tile);
  return from + count <= Math.floor(size / 2 ** merkleLevel);
}

/** `x001/x234/067` for 1234067: three-digit elements, all but the last prefixed with `x`. */
export function tileIndexPath(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** The path of a tile under the log's prefix: `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`. */
export function tilePath(tile: TileAddress): string {
  const level = tile.level === null ? 'entries' : String(tile.level);
  return `tile/${level}/${tileIndexPath(tile.index)}${tile.width === null ? '' : `.p/${tile.width}`}`;
}

/**
 * Parses what follows `tile/` (`0/x001/234`, `entries/005.p/17`); returns the reason when it is not a
 * canonical tile path (leading zeros, an `x000` first element, a width outside 1..255).
 */
export function parseTilePath(path: string): TileAddress | string {
  const segments = path.split('/');
  const levelText = segments.shift() ?? '';
  let level: number | null;
  if (levelText === 'entries') level = null;
  else if (/^(0|[1-9]\d?)$/.test(levelText) && Number(levelText) <= 63) level = Number(levelText);
  else return `level "${levelText}" must be "entries" or a decimal 0..63 without leading zeros`;
  let width: number | null = null;
  if (segments.length >= 2 && segments[segments.length - 2].endsWith('.p')) {
    const widthText = segments.pop() as string;
    if (!/^[1-9]\d{0,2}$/.test(widthText) || Number(widthText) > TILE_WIDTH - 1) {
      return `partial width "${widthText}" must be 1..255 without leading zeros`;
    }
    width = Number(widthText);
    segments[segments.length - 1] = segments[segments.length - 1].slice(0, -2);
  }
  if (segments.length === 0 || segments.length > 6) return 'the tile index is missing or too long';
  const last = segments.length - 1;
  const valid = segments.every((s, i) => (i < last ? /^x\d{3}$/.test(s) : /^\d{3}$/.test(s)));
  if (!valid || (last > 0 && segments[0] === 'x000')) {
    return 'the tile index must be 3-digit elements, all but the last prefixed with "x" (e.g. x001/x234/067)';
  }
  const index = Number(segments.map((s) => s.replace('x', '')).join(''));
  return { level, index, width };
}
