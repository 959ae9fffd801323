import { matcherText, type SilenceMatcherJson } from '../alerts/alerting-api';

export const DURATIONS = [
  { value: '1h', label: '1 hour', ms: 3_600_000 },
  { value: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { value: '1d', label: '1 day', ms: 86_400_000 },
  { value: 'custom', label: 'until a chosen end', ms: 0 },
] as const;

/** The silence form as typed: kept verbatim so an error never loses the person's input. */
export interface SilenceForm {
  matchers: string;
  duration: string;
  ends: string;
  createdBy: string;
  comment: string;
}

export class SilenceFormError extends Error {}

const LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/;

/** One matcher per line, amtool's syntax: `name="value"`, `name!=value`, `name=~"re"`, `name!~re`. */
export function parseMatchers(text: string): SilenceMatcherJson[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new SilenceFormError('at least one matcher is needed');
  return lines.map((line, index) => {
    const match = LINE.exec(line);
    if (match === null) {
      throw new SilenceFormError(
        `matcher ${index + 1} ("${line}") is not name="value", name!="value", name=~"re" or name!~"re"`,
      );
    }
    const [, name = '', op = '=', rawValue = ''] = match;
    return { name, value: unquote(rawValue.trim()), isRegex: op.includes('~'), isEqual: !op.startsWith('!') };
  });
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return value;
}

/** The matcher lines of an alert's labels (what `/silences/new?from=` pre-fills). */
export function matcherLinesOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => matcherText({ name, value, isRegex: false, isEqual: true }))
    .join('\n');
}

/** When the silence ends: now + a preset, or the custom end (read as UTC). */
export function endOf(form: SilenceForm, now: Date): Date {
  const preset = DURATIONS.find((d) => d.value === form.duration);
  if (preset === undefined) throw new SilenceFormError(`unknown duration ${form.duration}`);
  if (preset.ms > 0) return new Date(now.getTime() + preset.ms);
  const end = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(form.ends) ? form.ends : `${form.ends}Z`);
  if (Number.isNaN(end.getTime())) throw new SilenceFormError('the custom end is not a date and time');
  if (end.getTime() <= now.getTime()) throw new SilenceFormError('the custom end is in the past');
  return end;
}

export function silenceFormOf(input: Record<string, unknown>, defaults: Partial<SilenceForm>): SilenceForm {
  const text = (name: keyof SilenceForm, max: number) =>
    typeof input[name] === 'string' ? input[name].slice(0, max) : (defaults[name] ?? '');
  return {
    matchers: text('matchers', 20_000),
    duration: text('duration', 20) || '1h',
    ends: text('ends', 40),
    createdBy: text('createdBy', 200),
    comment: text('comment', 2000),
  };
}
