#!/bin/sh
# azd hook (azure.yaml, preprovision): refuses a location where the Flex Consumption plan is not offered, before any
# resource is created. The list changes as Azure adds regions, so it is asked of Azure itself
# (`az functionapp list-flexconsumption-locations`, Azure CLI 2.60+) rather than frozen here. Without the Azure CLI
# the check is skipped with a warning (azd itself does not need it). Usage: check-location.sh [LOCATION]
set -eu
location="${1:-${AZURE_LOCATION:-}}"
if [ -z "$location" ]; then
  echo "check-location: no location given (AZURE_LOCATION is empty); azd will ask for one" >&2
  exit 0
fi
if ! command -v az >/dev/null 2>&1; then
  echo "check-location: Azure CLI not found; not checking that Flex Consumption is offered in '$location'" >&2
  exit 0
fi
if ! names=$(az functionapp list-flexconsumption-locations --query "[].name" --output tsv 2>/dev/null); then
  echo "check-location: could not list Flex Consumption locations (az login?); not checking '$location'" >&2
  exit 0
fi
# ARM location names are lower case without spaces ("West Europe" = "westeurope").
wanted=$(printf '%s' "$location" | tr 'A-Z' 'a-z' | tr -d ' ')
for name in $names; do
  if [ "$(printf '%s' "$name" | tr 'A-Z' 'a-z' | tr -d ' ')" = "$wanted" ]; then
    exit 0
  fi
done
echo "check-location: the Flex Consumption plan is not offered in '$location'." >&2
echo "Choose one of: $(printf '%s' "$names" | tr '\n' ' ')" >&2
echo "(azd env set AZURE_LOCATION <name>, or terraform -var location=<name>)" >&2
exit 1
