// Prints every app setting with its default and description: `node dist/dev/printSettings.js [--markdown|--json]`.
// README's configuration table and local.settings.example.json are generated from this, and a test keeps them true.
import { settingsSchema } from '../shared/config/config.js';
import { settingDefaults } from './host/settings.js';

const defaults = settingDefaults();
const rows = Object.entries(settingsSchema.shape).map(([name, field]) => ({
  name,
  default: defaults[name] ?? '',
  description: (field as { description?: string }).description ?? '',
}));

if (process.argv.includes('--json')) {
  const values: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  for (const r of rows) if (!(r.name in values)) values[r.name] = r.default;
  process.stdout.write(`${JSON.stringify({ IsEncrypted: false, Values: values }, null, 2)}\n`);
} else {
  process.stdout.write('| Setting | Default (local) | What it does |\n|---|---|---|\n');
  for (const r of rows) {
    process.stdout.write(
      `| \`${r.name}\` | ${r.default === '' ? '(empty)' : `\`${r.default.replace(/\|/g, '\\|')}\``} | ${r.description.replace(/\|/g, '\\|')} |\n`,
    );
  }
}
