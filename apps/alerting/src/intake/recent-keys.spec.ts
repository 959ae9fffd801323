import { RecentKeys } from './recent-keys';

describe('RecentKeys', () => {
  it('keeps the most recently added keys and forgets the oldest beyond its capacity', () => {
    const keys = new RecentKeys(2);
    keys.add('a');
    keys.add('b');
    keys.add('a'); // a is now the youngest
    keys.add('c'); // b goes
    expect(['a', 'b', 'c'].map((k) => keys.has(k))).toEqual([true, false, true]);
  });
});
