# azd hook (azure.yaml, preprovision), Windows flavour of check-location.sh: refuses a location where the Flex
# Consumption plan is not offered, asking Azure (`az functionapp list-flexconsumption-locations`); skipped with a
# warning when the Azure CLI is missing or not signed in.
param([string]$Location = $env:AZURE_LOCATION)
if (-not $Location) { Write-Warning 'check-location: no location given; azd will ask for one'; exit 0 }
if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
  Write-Warning "check-location: Azure CLI not found; not checking that Flex Consumption is offered in '$Location'"
  exit 0
}
$names = az functionapp list-flexconsumption-locations --query '[].name' --output tsv 2>$null
if ($LASTEXITCODE -ne 0) { Write-Warning "check-location: could not list Flex Consumption locations; not checking '$Location'"; exit 0 }
$wanted = ($Location -replace ' ', '').ToLowerInvariant()
foreach ($name in $names) { if (($name -replace ' ', '').ToLowerInvariant() -eq $wanted) { exit 0 } }
Write-Error "check-location: the Flex Consumption plan is not offered in '$Location'. Choose one of: $($names -join ' ')"
exit 1
