import type { LabelSet } from '../model/alert';
import {
  compileMatcher,
  formatMatcher,
  matchesAll,
  MatcherSyntaxError,
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

/** Compiles one matcher; null when it cannot be compiled. */
export type MatcherCompiler = (matcher: LabelMatcher) => CompiledMatcher | null;

/** Active silences compiled once, to ask which of them mute a label set. */
export class SilenceMatcher {
  private readonly compiled: { id: string; matchers: CompiledMatcher[] }[] = [];
  /** Ids of the silences left out because a matcher of theirs does not compile. */
  readonly uncompilable: string[] = [];

  constructor(active: readonly Silence[], compile: MatcherCompiler = compileOrNull) {
    for (const silence of active) {
      const matchers = silence.matchers.map(compile);
      if (matchers.every((m) => m !== null)) this.compiled.push({ id: silence.id, matchers });
      else this.uncompilable.push(silence.id);
    }
  }

  /** Ids of the silences muting `labels`, sorted. */
  silencedBy(labels: LabelSet): string[] {
    return this.compiled
      .filter((s) => matchesAll(s.matchers, labels))
      .map((s) => s.id)
      .sort();
  }
}

/**
 * Compiled matchers by their text, kept while a silence in force uses them: the silences are read on
 * every alert POST and GET, and each regex compiles once, not on every read.
 */
export class SilenceMatcherCache {
  private compiled = new Map<string, CompiledMatcher | null>();

  matcherFor(active: readonly Silence[]): SilenceMatcher {
    const previous = this.compiled;
    const inUse = new Map<string, CompiledMatcher | null>();
    const matcher = new SilenceMatcher(active, (m) => {
      const key = formatMatcher(m);
      const cached = inUse.has(key) ? inUse.get(key) : previous.get(key);
      const compiled = cached === undefined ? compileOrNull(m) : cached;
      inUse.set(key, compiled);
      return compiled;
    });
    this.compiled = inUse;
    return matcher;
  }
}

/**
 * A silence stored before matchers were RE2 (a lookahead JavaScript accepted) no longer compiles: it
 * mutes nothing rather than failing every read of the alerts.
 */
function compileOrNull(matcher: LabelMatcher): CompiledMatcher | null {
  try {
    return compileMatcher(matcher);
  } catch (error) {
    if (error instanceof MatcherSyntaxError) return null;
    throw error;
  }
}
