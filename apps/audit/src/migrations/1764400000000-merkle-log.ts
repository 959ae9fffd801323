import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One RFC 6962 Merkle tree per category (apps/audit/src/merkle). `audit_merkle_nodes` holds every
 * complete subtree's hash: level 0 are the leaf hashes (node_index = the record's seq - 1), level L the
 * hash of the 2^L leaves [node_index·2^L, (node_index+1)·2^L). A tree head or proof of any size is a
 * fold of O(log n) of these rows, read with one query; an append inserts its leaf and the nodes it
 * completes. `audit_merkle_heads` is the size and root the tree has reached; its row lock serialises
 * the appenders. Existing chains are appended by the service the first time it runs (from seq 1).
 */
export class MerkleLog1764400000000 implements MigrationInterface {
  name = 'MerkleLog1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_merkle_nodes (
        category text NOT NULL,
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
        node_index bigint NOT NULL CHECK (node_index >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (category, level, node_index)
      )`);
    await runner.query(`
      CREATE TRIGGER audit_merkle_nodes_append_only BEFORE UPDATE OR DELETE ON audit_merkle_nodes
        FOR EACH ROW EXECUTE FUNCTION audit_reject_change()`);
    await runner.query(`
      CREATE TABLE audit_merkle_heads (
        category text PRIMARY KEY,
        size bigint NOT NULL CHECK (size >= 0),
        root bytea NOT NULL CHECK (length(root) = 32),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_merkle_heads`);
    await runner.query(`DROP TABLE audit_merkle_nodes`);
  }
}
