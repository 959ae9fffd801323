import { distinctRounds } from './error-event.store';

describe('distinctRounds', () => {
  it('puts a repeated issue in a later round and keeps list order within each round', () => {
    const rows = ['1', '2', '1', '3', '1', '2'].map((issue_id, n) => ({ issue_id, n }));
    expect(distinctRounds(rows).map((round) => round.map((row) => `${row.issue_id}@${row.n}`))).toEqual([
      ['1@0', '2@1', '3@3'],
      ['1@2', '2@5'],
      ['1@4'],
    ]);
  });

  it('gives one round when every issue is distinct, none when there are no rows', () => {
    expect(distinctRounds([{ issue_id: '1' }, { issue_id: '2' }])).toHaveLength(1);
    expect(distinctRounds([])).toEqual([]);
  });
});
