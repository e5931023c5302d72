// The `timespan` of a Log Analytics query: an ISO 8601 duration ("PT1H", "P1D") ending now, or an interval
// ("<start>/<end>", "<start>/<duration>", "<duration>/<end>"), as @azure/monitor-query-logs sends it.

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Milliseconds of an ISO 8601 duration; years and months are refused (their length is ambiguous). */
export function parseIsoDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || /T$/i.test(text.trim())) {
    throw new Error(
      `'${text}' is not an ISO 8601 duration of weeks, days, hours, minutes and seconds (e.g. PT1H, P1D)`,
    );
  }
  const [, w, d, h, m, s] = match;
  const n = (v: string | undefined): number => (v ? Number(v) : 0);
  return (((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(m)) * 60000 + n(s) * 1000;
}

function parseInstant(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`'${text}' is not an ISO 8601 date-time`);
  return date;
}

export function parseTimespan(text: string, now: Date): { start: Date; end: Date } {
  const parts = text.split('/');
  if (parts.length === 1) {
    return { start: new Date(now.getTime() - parseIsoDuration(text)), end: now };
  }
  if (parts.length !== 2) throw new Error('expected a duration or an interval of two parts separated by /');
  const [a = '', b = ''] = parts;
  const aIsDuration = /^P/i.test(a.trim());
  const bIsDuration = /^P/i.test(b.trim());
  if (aIsDuration && bIsDuration) throw new Error('an interval needs at least one date-time');
  if (aIsDuration) {
    const end = parseInstant(b);
    return { start: new Date(end.getTime() - parseIsoDuration(a)), end };
  }
  const start = parseInstant(a);
  const end = bIsDuration ? new Date(start.getTime() + parseIsoDuration(b)) : parseInstant(b);
  if (end.getTime() < start.getTime()) throw new Error('the interval ends before it starts');
  return { start, end };
}
