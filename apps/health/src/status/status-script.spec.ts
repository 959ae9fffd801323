import vm from 'node:vm';

import { STATUS_SCRIPT } from './status-script';

/** A <time> element as the script sees it. */
class FakeTime {
  textContent: string;
  readonly attributes = new Map<string, string>();
  constructor(iso: string) {
    this.textContent = iso;
    this.attributes.set('datetime', iso);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
}

/** Runs the served script against fake <time> elements; returns them and the refresh timer's delay. */
function run(isos: string[]): { times: FakeTime[]; refreshMs: number[] } {
  const times = isos.map((iso) => new FakeTime(iso));
  const refreshMs: number[] = [];
  const document = { querySelectorAll: (selector: string) => (selector === 'time[datetime]' ? times : []) };
  const setInterval = (_: () => void, ms: number) => refreshMs.push(ms);
  vm.runInNewContext(STATUS_SCRIPT, { document, setInterval });
  return { times, refreshMs };
}

describe('status.js', () => {
  it('rewrites each <time> into the local format with a relative phrase, keeping the ISO as title', () => {
    const threeMinutesAgo = new Date(Date.now() - 3 * 60_000 - 5_000).toISOString();
    const { times, refreshMs } = run([threeMinutesAgo, 'not a date']);
    const local = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(threeMinutesAgo));
    expect(times[0].textContent).toBe(`${local} (3 minutes ago)`);
    expect(times[0].getAttribute('title')).toBe(threeMinutesAgo);
    expect(times[1].textContent).toBe('not a date');
    expect(refreshMs).toEqual([30_000]);
  });

  it('says days ahead for a future instant (a certificate expiry, a next due time)', () => {
    const { times } = run([new Date(Date.now() + 2 * 86_400_000 + 60_000).toISOString()]);
    expect(times[0].textContent).toMatch(/\(in 2 days\)$/);
  });
});
