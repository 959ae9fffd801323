import type { FigureChange } from '../model/report-document';

/** Which way is good news for a figure. */
export type Better = 'higher' | 'lower' | 'neither';

const ARROW = { up: '▲', down: '▼', unchanged: '=', unknown: '–' } as const;
const NO_PREVIOUS: FigureChange = {
  direction: 'unknown',
  tone: 'neutral',
  text: `${ARROW.unknown} no figure for the period before`,
  short: `${ARROW.unknown} n/a`,
};

/**
 * The relative move of a count or a duration: `▲ up 10.0 % from 53,760`. A previous zero has no
 * percentage (`▲ up from 0`); a move that rounds to 0.0 % is unchanged.
 */
export function relativeChange(
  now: number | null | undefined,
  before: number | null | undefined,
  better: Better,
  format: (value: number) => string,
): FigureChange {
  if (now === null || now === undefined || before === null || before === undefined) return NO_PREVIOUS;
  if (before === 0) {
    return now === 0 ? unchanged(format(before)) : moved('up', better, '', format(before));
  }
  const pct = ((now - before) / Math.abs(before)) * 100;
  if (Math.abs(pct) < 0.05) return unchanged(format(before));
  return moved(pct > 0 ? 'up' : 'down', better, ` ${Math.abs(pct).toFixed(1)} %`, format(before));
}

/**
 * The move of a percentage in points, since a relative change of a percentage misleads
 * (`▼ down 1.94 points from 3.33 %`). `nowPct` and `beforePct` are 0..100.
 */
export function pointsChange(
  nowPct: number | null | undefined,
  beforePct: number | null | undefined,
  better: Better,
  format: (pct: number) => string,
): FigureChange {
  if (nowPct === null || nowPct === undefined || beforePct === null || beforePct === undefined)
    return NO_PREVIOUS;
  const diff = nowPct - beforePct;
  if (Math.abs(diff) < 0.005) return unchanged(format(beforePct));
  return moved(diff > 0 ? 'up' : 'down', better, ` ${Math.abs(diff).toFixed(2)} points`, format(beforePct));
}

function unchanged(before: string): FigureChange {
  return {
    direction: 'unchanged',
    tone: 'neutral',
    text: `${ARROW.unchanged} unchanged from ${before}`,
    short: `${ARROW.unchanged} unchanged`,
  };
}

function moved(direction: 'up' | 'down', better: Better, amount: string, before: string): FigureChange {
  const good = better === 'neither' ? null : (direction === 'up') === (better === 'higher');
  const short = `${ARROW[direction]} ${direction}${amount}`;
  return {
    direction,
    tone: good === null ? 'neutral' : good ? 'good' : 'bad',
    text: `${short} from ${before}`,
    short,
  };
}
