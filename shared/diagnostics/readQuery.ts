// Query parameters of GET /api/diagnoses.
import { ValidationError } from '../errors.js';

const RELATIVE = /^(\d{1,6})([mhd])$/;

/** `since`: an ISO-8601 date-time, or a look-back such as `30m`, `6h`, `7d`. Undefined when absent. */
export function parseSince(value: string | null | undefined, now: Date = new Date()): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const rel = RELATIVE.exec(value.trim());
  if (rel?.[1] && rel[2]) {
    const ms = Number(rel[1]) * (rel[2] === 'm' ? 60_000 : rel[2] === 'h' ? 3_600_000 : 86_400_000);
    return new Date(now.getTime() - ms);
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const d = new Date(value.trim());
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new ValidationError(
    `since must be an ISO-8601 date-time (2026-11-22T10:00:00Z) or a look-back like 30m, 6h, 7d; got '${value.slice(0, 60)}'`,
  );
}
