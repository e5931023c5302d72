// `aks-aiops wire-alerts`: after the app is deployed, points the webhook action group at /api/alerts with the app's
// default function key (azure.yaml postprovision/postdeploy hooks; by hand after `terraform apply`). The key goes
// from ARM to ARM: it is never printed, and it is not in any deployment or Terraform state.
import { DefaultAzureCredential } from '@azure/identity';
import { getConfig } from '../../shared/config/config.js';
import { ValidationError } from '../../shared/errors.js';
import { ArmRequestError, wireAlertWebhook } from '../../shared/deploy/alertWebhook.js';
import { defineCommand } from './args.js';

const USAGE = `Usage: aks-aiops wire-alerts --function-app-id ID --action-group-id ID [--wait SECONDS] [--if-deployed]

Reads the default function key of the deployed function app through Azure Resource Manager (waiting up to --wait
seconds, default 900, for a freshly deployed host to serve its keys) and sets the webhook receiver
'aks-aiops-alerts' of the action group to https://<app>/api/alerts?code=<key> with the common alert schema.
Other receivers of the action group are kept. Signs in with DefaultAzureCredential (azd, Azure CLI, ...).

  --function-app-id ID   resource id of the function app (Microsoft.Web/sites)
  --action-group-id ID   resource id of the webhook action group (output AZURE_ACTION_GROUP_ID)
  --wait SECONDS         how long to wait for the host keys (default 900)
  --if-deployed          exit 0 without waiting when the host serves no keys yet (first provision, nothing deployed)

Exit codes: 0 wired (or skipped with --if-deployed), 2 error.`;

export const wireAlertsCommand = defineCommand({
  name: 'wire-alerts',
  summary: 'Point the webhook action group at the deployed app (after azd deploy or terraform apply)',
  usage: USAGE,
  options: {
    'function-app-id': { type: 'string' },
    'action-group-id': { type: 'string' },
    wait: { type: 'string', default: '900' },
    'if-deployed': { type: 'boolean', default: false },
  },
  async run({ values }, io) {
    const functionAppId = values['function-app-id'];
    const actionGroupId = values['action-group-id'];
    if (!functionAppId || !actionGroupId)
      throw new ValidationError('--function-app-id and --action-group-id are required');
    const wait = Number(values.wait);
    if (!Number.isFinite(wait) || wait < 0)
      throw new ValidationError(`--wait must be a number of seconds, got '${values.wait}'`);
    const ifDeployed = values['if-deployed'];
    try {
      const result = await wireAlertWebhook({
        armEndpoint: getConfig().ARM_ENDPOINT,
        credential: new DefaultAzureCredential(),
        functionAppId,
        actionGroupId,
        waitForKeysMs: ifDeployed ? 0 : wait * 1000,
        log: (line) => io.stderr.write(`wire-alerts: ${line}\n`),
      });
      io.stdout.write(
        `${result.changed ? 'wired' : 'already wired'}: ${result.actionGroupId} -> ${result.webhookUrl}?code=<default function key>\n`,
      );
      return 0;
    } catch (err) {
      if (ifDeployed && err instanceof ArmRequestError && err.code === 'HostKeysUnavailable') {
        io.stdout.write('the app serves no keys yet (not deployed): the webhook is wired after the deploy\n');
        return 0;
      }
      throw err;
    }
  },
});
