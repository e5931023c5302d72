# The aks-aiops workbook: fleet score over time, open findings by severity and check, recent diagnoses with root
# cause and evidence, sweep duration and partial sweeps, metric anomalies over time. Content: infra/workbook/aksAiops.workbook.json.
resource "random_uuid" "workbook" {}

resource "azurerm_application_insights_workbook" "aiops" {
  name                = random_uuid.workbook.result
  resource_group_name = azurerm_resource_group.main.name
  location            = var.location
  display_name        = "AKS AIOps"
  category            = "workbook"
  source_id           = lower(local.workspace_id)
  data_json           = file("${path.module}/../workbook/aksAiops.workbook.json")
  tags                = local.tags
}
