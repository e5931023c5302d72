#!/bin/sh
# azd hook (azure.yaml): sets the webhook receiver of the alerts action group to the deployed app's /api/alerts.
# azd passes the environment's values (AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME,
# AZURE_ACTION_GROUP_ID) as environment variables. Extra arguments go to `aks-aiops wire-alerts` (e.g. --if-deployed).
set -eu
cd "$(dirname "$0")/.."
[ -f dist/cli.js ] || node scripts/build.mjs
exec node dist/cli.js wire-alerts \
  --function-app-id "/subscriptions/${AZURE_SUBSCRIPTION_ID}/resourceGroups/${AZURE_RESOURCE_GROUP}/providers/Microsoft.Web/sites/${AZURE_FUNCTION_APP_NAME}" \
  --action-group-id "${AZURE_ACTION_GROUP_ID}" "$@"
