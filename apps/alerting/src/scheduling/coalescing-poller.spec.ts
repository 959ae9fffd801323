import { CoalescingPoller } from './coalescing-poller';

describe('CoalescingPoller', () => {
  it('runs one more pass after nudges that arrive during a pass, never two at once', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const poller = new CoalescingPoller(60_000, async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      passes += 1;
      if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
      active -= 1;
    });
    poller.nudge();
    poller.nudge();
    poller.nudge();
    release();
    for (let i = 0; i < 100 && passes < 2; i += 1) await new Promise((resolve) => setImmediate(resolve));
    await poller.stop();
    expect(maxActive).toBe(1);
    expect(passes).toBe(2);
  });

  it('ignores nudges once stopped', async () => {
    let passes = 0;
    const poller = new CoalescingPoller(60_000, () => Promise.resolve(void (passes += 1)));
    await poller.stop();
    poller.nudge();
    expect(passes).toBe(0);
    expect(poller.isStopped).toBe(true);
  });
});
