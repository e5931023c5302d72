# azd hook (azure.yaml) on Windows: the same as scripts/wire-alerts.sh.
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
if (-not (Test-Path 'dist/cli.js')) { node scripts/build.mjs }
node dist/cli.js wire-alerts `
  --function-app-id "/subscriptions/$($env:AZURE_SUBSCRIPTION_ID)/resourceGroups/$($env:AZURE_RESOURCE_GROUP)/providers/Microsoft.Web/sites/$($env:AZURE_FUNCTION_APP_NAME)" `
  --action-group-id "$($env:AZURE_ACTION_GROUP_ID)" @args
exit $LASTEXITCODE
