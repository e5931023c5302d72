// Timer triggers: NCRONTAB schedules (with %SETTING% references) fired in UTC unless WEBSITE_TIME_ZONE says otherwise.
import { CronExpressionParser } from 'cron-parser';
import { invokeFunction } from './invoke.js';
import { bindingOption, resolveSettingReferences, type RegisteredFunction } from './registry.js';
import type { HostRuntime } from './hostRuntime.js';

export function startTimers(
  rt: HostRuntime,
  functions: RegisteredFunction[],
): {
  fireTimer: (fn: RegisteredFunction, isPastDue: boolean, scheduled?: boolean) => Promise<void>;
  stop: () => void;
} {
  const { options, log, invocationLog, track, handleOutputBindings } = rt;
  const timers: NodeJS.Timeout[] = [];
  // A scheduled run carries its schedule status; a run started by hand (POST /admin/functions/{name}) does not, so
  // the function can tell "the period's sweep" from "sweep now" (functions/sweeps.ts).
  async function fireTimer(fn: RegisteredFunction, isPastDue: boolean, scheduled = true): Promise<void> {
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ...(scheduled ? { ScheduleStatus: { Last: new Date().toISOString() } } : {}),
      IsPastDue: isPastDue,
    };
    try {
      const result = await invokeFunction(fn, { json: JSON.stringify(timerInfo) }, { log: invocationLog });
      await handleOutputBindings(fn, result.outputData);
      log({
        level: 'info',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'timer',
        status: 'Succeeded',
        durationMs: Math.round(result.durationMs),
      });
    } catch (err) {
      log({
        level: 'error',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'timer',
        status: 'Failed',
        error: String(err),
      });
    }
  }
  for (const fn of functions.filter((f) => f.trigger.type.toLowerCase() === 'timertrigger')) {
    const schedule = resolveSettingReferences(bindingOption(fn.trigger, 'schedule') ?? '', options.env);
    // NCRONTAB runs in UTC on the Functions host unless WEBSITE_TIME_ZONE says otherwise.
    const cron = CronExpressionParser.parse(schedule, { tz: options.env.WEBSITE_TIME_ZONE ?? 'UTC' });
    const MAX_TIMEOUT_MS = 2 ** 31 - 1; // setTimeout fires at once for longer delays
    const waitUntil = (due: number) => {
      if (rt.isStopping()) return;
      const delay = due - Date.now();
      if (delay > MAX_TIMEOUT_MS) {
        timers.push(setTimeout(() => waitUntil(due), MAX_TIMEOUT_MS));
        return;
      }
      timers.push(
        setTimeout(
          () => {
            void track(fireTimer(fn, Date.now() - due > 1000));
            scheduleNext();
          },
          Math.max(0, delay),
        ),
      );
    };
    const scheduleNext = () => waitUntil(cron.next().getTime());
    scheduleNext();
    if (fn.trigger.runOnStartup === true) void track(fireTimer(fn, false));
  }

  return { fireTimer, stop: () => timers.forEach((t) => clearTimeout(t)) };
}
