import type { LabelSet } from '../alerts/alert';
import {
  compileMatcher,
  matchesAll,
  type CompiledMatcher,
  type LabelMatcher,
} from '../matchers/label-matcher';

export type SilenceState = 'pending' | 'active' | 'expired';

export interface Silence {
  id: string;
  matchers: LabelMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
  updatedAt: Date;
}

export function silenceStateAt(silence: Pick<Silence, 'startsAt' | 'endsAt'>, now: Date): SilenceState {
  if (silence.endsAt <= now) return 'expired';
  if (silence.startsAt > now) return 'pending';
  return 'active';
}

/** Active silences compiled once, to ask which of them mute a label set. */
export class SilenceMatcher {
  private readonly compiled: { id: string; matchers: CompiledMatcher[] }[];

  constructor(active: readonly Silence[]) {
    this.compiled = active.map((s) => ({ id: s.id, matchers: s.matchers.map(compileMatcher) }));
  }

  /** Ids of the silences muting `labels`, sorted. */
  silencedBy(labels: LabelSet): string[] {
    return this.compiled
      .filter((s) => matchesAll(s.matchers, labels))
      .map((s) => s.id)
      .sort();
  }
}
