// A worker thread of `vigil-audit verify-export`: checks one byte range of the export and posts its result.
import { parentPort, workerData } from 'node:worker_threads';

import type { PortableLog } from './export-lines';
import { checkRange } from './export-range';

interface RangeJob {
  file: string;
  start: number;
  end: number;
  logs: PortableLog[];
}

const job = workerData as RangeJob;
checkRange(job.file, job.start, job.end, job.logs).then(
  (result) => parentPort?.postMessage({ result }),
  (error: unknown) =>
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
