// Wall-clock time in an IANA time zone, from the runtime's own tz database through Intl (no bundled copy that
// could age). Schedules are written in wall time ("Mon 08:00 Europe/Berlin"), so evaluation converts an instant
// to the zone's wall clock and compares there; DST shifts therefore move the UTC instant of a rule, never its
// wall-clock meaning.

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WallTime {
  /** 0 = Monday … 6 = Sunday (ISO order, so a week starts on Monday as the rules' day lists read). */
  weekday: number;
  /** Minutes since the zone's local midnight. */
  minuteOfDay: number;
  /** Minutes since local Monday 00:00. */
  minuteOfWeek: number;
  /** Local time minus UTC, in whole minutes, at that instant. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the zone (IANA name or an alias such as "UTC"). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `timeZone` at `instantMs` (floored to the minute). */
export function wallTimeAt(instantMs: number, timeZone: string): WallTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const year = get('year');
  const month = get('month');
  const day = get('day');
  const hour = get('hour');
  const minute = get('minute');
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  const flooredInstant = Math.floor(instantMs / 60_000) * 60_000;
  const offsetMinutes = Math.round((localAsUtc - flooredInstant) / 60_000);
  // getUTCDay: 0 = Sunday; shift to ISO (0 = Monday).
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const minuteOfDay = hour * 60 + minute;
  return { weekday, minuteOfDay, minuteOfWeek: weekday * MINUTES_PER_DAY + minuteOfDay, offsetMinutes };
}

/** "HH:MM" (00:00–24:00) to minutes since midnight; undefined when malformed. */
export function parseClockTime(text: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > MINUTES_PER_DAY ? undefined : minutes;
}

export function formatClockTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
