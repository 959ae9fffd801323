import { CreateAuditEvents1763800000000 } from './1763800000000-create-audit-events';
import { AppendOnlyHashChain1763900000000 } from './1763900000000-append-only-hash-chain';
import { Detections1764000000000 } from './1764000000000-detections';
import { LeanIngestIndexes1764100000000 } from './1764100000000-lean-ingest-indexes';
import { EventLookupByPartitionKey1764200000000 } from './1764200000000-event-lookup-by-partition-key';
import { ChainHeadReceivedAt1764300000000 } from './1764300000000-chain-head-received-at';
import { MerkleLog1764400000000 } from './1764400000000-merkle-log';
import { SubjectKeys1764500000000 } from './1764500000000-subject-keys';
import { LogCheckpointsAndWitnesses1764510000000 } from './1764510000000-log-checkpoints-and-witnesses';
import { LeafHash1764520000000 } from './1764520000000-leaf-hash';
import { ResourceSearchIndex1764530000000 } from './1764530000000-resource-search-index';
import { ActionSearchIndex1764540000000 } from './1764540000000-action-search-index';

/** Every migration of the audit database, oldest first. */
export const AUDIT_MIGRATIONS = [
  CreateAuditEvents1763800000000,
  AppendOnlyHashChain1763900000000,
  Detections1764000000000,
  LeanIngestIndexes1764100000000,
  EventLookupByPartitionKey1764200000000,
  ChainHeadReceivedAt1764300000000,
  MerkleLog1764400000000,
  SubjectKeys1764500000000,
  LogCheckpointsAndWitnesses1764510000000,
  LeafHash1764520000000,
  ResourceSearchIndex1764530000000,
  ActionSearchIndex1764540000000,
];
