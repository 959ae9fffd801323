// The public corpus (test/corpus/cases, see test/corpus/README.md) scored against the default `redact`: the
// suite fails while recall (sensitive values gone) or keep (harmless values intact) is below 0.99, and the
// message lists every failing case with what leaked or was destroyed.
import path from 'node:path';

import { redact } from '../src';
import { formatFailures, formatTable, loadCorpus, scoreCorpus } from './corpus/score.mjs';

const MIN_RECALL = 0.99;
const MIN_KEEP = 0.99;

const cases = loadCorpus(path.join(__dirname, 'corpus', 'cases'));

describe('public corpus', () => {
  it('has at least 1,100 cases in at least 55 categories, about half of them hard negatives', () => {
    const categories = new Set(cases.map((entry) => entry.category));
    const negatives = cases.filter((entry) => entry.sensitive.length === 0).length;
    expect(cases.length).toBeGreaterThanOrEqual(1100);
    expect(categories.size).toBeGreaterThanOrEqual(55);
    expect(negatives / cases.length).toBeGreaterThan(0.4);
  });

  it(`the default redact() reaches recall >= ${MIN_RECALL} and keep >= ${MIN_KEEP}`, () => {
    const score = scoreCorpus(cases, redact);
    const { recall, keepRate } = score.overall;
    if (recall < MIN_RECALL || keepRate < MIN_KEEP) {
      throw new Error(
        `corpus recall=${recall.toFixed(3)} keep=${keepRate.toFixed(3)} (want >= ${MIN_RECALL} / ${MIN_KEEP})\n\n` +
          `${formatTable(score)}\n\n${score.failures.length} failing cases:\n${formatFailures(score.failures, 400)}`,
      );
    }
    expect(recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(keepRate).toBeGreaterThanOrEqual(MIN_KEEP);
  });
});
