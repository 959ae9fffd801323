import { canonicalJson } from '../model/canonical-json';
import type { ChainRecord } from '../model/hash-chain';
import { foldSubtrees, nodeHash, type SubtreeId } from './rfc6962';

export interface TreeNode extends SubtreeId {
  hash: Buffer;
}

/**
 * The bytes a record's leaf commits to: UTF-8 of the canonical JSON of {category, event, id,
 * received_at, seq}, exactly the text the hash chain hashes after prev_hash (model/hash-chain.ts).
 */
export function leafData(record: ChainRecord): Buffer {
  return Buffer.from(canonicalJson(record), 'utf8');
}

export interface Appended {
  /** Every complete subtree the new leaves made: the leaves themselves and the nodes they completed. */
  nodes: TreeNode[];
  /** The complete subtrees covering the grown tree, left to right (its right frontier). */
  frontier: TreeNode[];
  size: number;
  root: Buffer;
}

/**
 * Appends leaf hashes to a tree of `size` leaves given its frontier (perfectSubtrees(0, size) with their
 * hashes). Each leaf is pushed as a level-0 subtree; while the two rightmost subtrees have the same
 * level they merge into their parent, which is then complete and stored.
 */
export function appendLeaves(
  frontier: readonly TreeNode[],
  size: number,
  leaves: readonly Buffer[],
): Appended {
  const stack = [...frontier];
  const nodes: TreeNode[] = [];
  let index = size;
  for (const hash of leaves) {
    let node: TreeNode = { level: 0, index, hash };
    nodes.push(node);
    while (stack.length > 0 && stack[stack.length - 1].level === node.level) {
      const left = stack.pop() as TreeNode;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      nodes.push(node);
    }
    stack.push(node);
    index += 1;
  }
  return { nodes, frontier: stack, size: index, root: foldSubtrees(stack.map((n) => n.hash)) };
}
