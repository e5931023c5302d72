// What `func start` does with local.settings.json, plus this project's documented defaults: every app setting the
// config module knows gets its default in the environment, so `%SETTING%` references in bindings resolve locally.
import { existsSync, readFileSync } from 'node:fs';
import { settingsSchema } from '../../shared/config/config.js';

export function localSettingsEnv(file = 'local.settings.json'): Record<string, string> {
  if (!existsSync(file)) return {};
  const json = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json.Values ?? {})) out[k] = String(v);
  return out;
}

/** The schema's default for each setting, as the string an app setting would hold. */
export function settingDefaults(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(settingsSchema.shape)) {
    const parsed = (field as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(undefined);
    if (!parsed.success || parsed.data === undefined) continue;
    const v = parsed.data;
    if (Array.isArray(v)) out[name] = v.join(',');
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
  }
  return out;
}
