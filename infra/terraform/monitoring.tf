# The custom tables (columns from infra/tables.json) in the results workspace.
resource "azapi_resource" "custom_tables" {
  for_each  = { for t in local.tables : t.table => t }
  type      = "Microsoft.OperationalInsights/workspaces/tables@2022-10-01"
  name      = each.key
  parent_id = local.workspace_id
  body = {
    properties = {
      plan = "Analytics"
      schema = {
        name        = each.key
        description = each.value.description
        columns     = [for c in each.value.columns : { name = c.name, type = c.type, description = c.description }]
      }
    }
  }
}

# The data collection rule the app uploads results to: kind Direct, so it has its own logs ingestion endpoint.
resource "azapi_resource" "dcr" {
  type      = "Microsoft.Insights/dataCollectionRules@2023-03-11"
  name      = "dcr-aiops-${local.resource_token}"
  parent_id = azurerm_resource_group.main.id
  location  = local.workspace_location
  tags      = local.tags
  body = {
    kind = "Direct"
    properties = {
      description = "aks-aiops results: findings, sweeps and diagnoses uploaded with the Logs Ingestion API."
      streamDeclarations = {
        for t in local.tables : t.stream => { columns = [for c in t.columns : { name = c.name, type = c.type }] }
      }
      destinations = {
        logAnalytics = [{ name = "aksAiopsWorkspace", workspaceResourceId = local.workspace_id }]
      }
      dataFlows = [for t in local.tables : {
        streams      = [t.stream]
        destinations = ["aksAiopsWorkspace"]
        transformKql = local.transform_kql
        outputStream = t.stream
      }]
    }
  }
  response_export_values = ["properties.immutableId", "properties.endpoints.logsIngestion"]
  depends_on             = [azapi_resource.custom_tables]
}
