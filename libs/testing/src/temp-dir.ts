import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { removeOnExit } from './janitor';

/**
 * A fresh directory under the system's temp directory (`<prefix>XXXXXX`), removed with everything in it
 * when this process exits (by the janitor: jest's sandbox never fires exit hooks). Test files write
 * configs, rules and targets there for the processes they start; a run of the suite used to leave
 * dozens of them behind in /tmp.
 */
export function tempDir(prefix: string): string {
  return removeOnExit(mkdtempSync(join(tmpdir(), prefix)));
}
