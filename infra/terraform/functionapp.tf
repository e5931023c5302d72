# The Function app on the Flex Consumption plan (FC1), Node 22, running as the user-assigned identity.
resource "azurerm_service_plan" "app" {
  name                = "plan-aiops-${local.resource_token}"
  resource_group_name = azurerm_resource_group.main.name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "FC1"
  tags                = local.tags
}

locals {
  # Exactly names shared/config/config.ts reads (settingsSchema) plus the platform settings listed in
  # infra/platformAppSettings.json; test/integration/infra checks both.
  app_settings = {
    # platform: identity-based host storage and Application Insights with Entra auth
    "AzureWebJobsStorage__credential"           = "managedidentity"
    "AzureWebJobsStorage__clientId"             = azurerm_user_assigned_identity.app.client_id
    "AzureWebJobsStorage__blobServiceUri"       = azurerm_storage_account.app.primary_blob_endpoint
    "AzureWebJobsStorage__queueServiceUri"      = azurerm_storage_account.app.primary_queue_endpoint
    "AzureWebJobsStorage__tableServiceUri"      = azurerm_storage_account.app.primary_table_endpoint
    "APPLICATIONINSIGHTS_CONNECTION_STRING"     = azurerm_application_insights.app.connection_string
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" = "ClientId=${azurerm_user_assigned_identity.app.client_id};Authorization=AAD"
    # app: shared/config/config.ts
    "AZURE_CLIENT_ID"            = azurerm_user_assigned_identity.app.client_id
    "RESULTS_SINK"               = "loganalytics"
    "LOGS_INGESTION_ENDPOINT"    = azapi_resource.dcr.output.properties.endpoints.logsIngestion
    "LOGS_DCR_IMMUTABLE_ID"      = azapi_resource.dcr.output.properties.immutableId
    "LOG_ANALYTICS_WORKSPACE_ID" = length(data.azapi_resource.container_insights) > 0 ? data.azapi_resource.container_insights[0].output.properties.customerId : ""
    "SWEEP_SCHEDULE"             = var.sweep_schedule
    "SWEEP_SUBSCRIPTION_IDS"     = join(",", local.sweep_subscriptions)
    "INGESTION_RETRY_SCHEDULE"   = var.ingestion_retry_schedule
    "SIMULATOR_ENABLED"          = var.simulator_enabled ? "true" : "false"
    "SCALING_SCHEDULE"           = "0 */5 * * * *"
    "SCALING_ENABLED"            = var.enable_scaling ? "true" : "false"
    "LOG_LEVEL"                  = "info"
  }
}

# Evidence queries go to the first Container Insights workspace; its customer id is what the query API takes. Read
# by resource id: the workspace may be in another subscription than the provider's (azurerm data sources are not).
data "azapi_resource" "container_insights" {
  count                  = length(var.container_insights_workspace_ids) > 0 ? 1 : 0
  type                   = "Microsoft.OperationalInsights/workspaces@2023-09-01"
  resource_id            = var.container_insights_workspace_ids[0]
  response_export_values = ["properties.customerId"]
}

resource "azurerm_function_app_flex_consumption" "app" {
  name                              = local.app_name
  resource_group_name               = azurerm_resource_group.main.name
  location                          = var.location
  service_plan_id                   = azurerm_service_plan.app.id
  storage_container_type            = "blobContainer"
  storage_container_endpoint        = "${azurerm_storage_account.app.primary_blob_endpoint}${azurerm_storage_container.deployment.name}"
  storage_authentication_type       = "UserAssignedIdentity"
  storage_user_assigned_identity_id = azurerm_user_assigned_identity.app.id
  runtime_name                      = "node"
  runtime_version                   = "22"
  instance_memory_in_mb             = var.instance_memory_mb
  maximum_instance_count            = var.maximum_instance_count
  https_only                        = true
  tags                              = merge(local.tags, { "azd-service-name" = "api" })

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  site_config {
    minimum_tls_version = "1.2"
    http2_enabled       = true
  }

  # azurerm (4.x) writes AzureWebJobsStorage as a key-based connection string with an EMPTY AccountKey even when
  # storage_authentication_type is an identity (hashicorp/terraform-provider-azurerm#29149, #29693, #30732); the host
  # prefers it over the AzureWebJobsStorage__* identity settings and cannot start or serve keys. Blank it so the
  # identity-based settings apply. (The provider may then show an app_settings diff on every plan; harmless.)
  app_settings = merge(local.app_settings, { "AzureWebJobsStorage" = "" })
}
