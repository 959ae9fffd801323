import { EventLoopSlice } from './event-loop-slice';

describe('EventLoopSlice', () => {
  it('hands the loop over only once its slice has run out', async () => {
    const slice = new EventLoopSlice(20);
    let turned = false;
    setImmediate(() => (turned = true));
    await slice.yieldIfDue();
    expect(turned).toBe(false);
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // Busy for longer than the slice.
    }
    await slice.yieldIfDue();
    expect(turned).toBe(true);
  });
});
