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
    # Service URIs alone can make the host fail to create its blob client at start-up (Azure/azure-functions-host#11787).
    "AzureWebJobsStorage__accountName" = azurerm_storage_account.app.name
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

# LOG_ANALYTICS_WORKSPACE_ID (the first Container Insights workspace's customer id) turns evidence queries on; they are
# resource-centric on each cluster (CONTAINER_INSIGHTS_QUERY=resource), the workspace only with =workspace. Read by
# resource id: the workspace may be in another subscription than the provider's (azurerm data sources are not).
data "azapi_resource" "container_insights" {
  count                  = length(var.container_insights_workspace_ids) > 0 ? 1 : 0
  type                   = "Microsoft.OperationalInsights/workspaces@2023-09-01"
  resource_id            = var.container_insights_workspace_ids[0]
  response_export_values = ["properties.customerId"]
}

# The site is created as the Bicep creates it (Microsoft.Web/sites with functionAppConfig, settings in a separate
# sites/config PUT), not with azurerm_function_app_flex_consumption: that resource always writes an
# `AzureWebJobsStorage` connection string (key-based, with an empty AccountKey, even with an identity as
# storage_authentication_type: hashicorp/terraform-provider-azurerm#29149, #29693, #30732), and blanking it still
# leaves the setting on the app. The host must see no `AzureWebJobsStorage` at all so the identity-based
# `AzureWebJobsStorage__*` settings apply (Functions docs, "Connecting to host storage with an identity").
resource "azapi_resource" "app" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = local.app_name
  parent_id = azurerm_resource_group.main.id
  location  = var.location
  tags      = merge(local.tags, { "azd-service-name" = "api" })

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  body = {
    kind = "functionapp,linux"
    properties = {
      serverFarmId = azurerm_service_plan.app.id
      httpsOnly    = true
      siteConfig   = { minTlsVersion = "1.2", http20Enabled = true }
      functionAppConfig = {
        deployment = {
          storage = {
            type  = "blobContainer"
            value = "${azurerm_storage_account.app.primary_blob_endpoint}${azurerm_storage_container.deployment.name}"
            authentication = {
              type                           = "UserAssignedIdentity"
              userAssignedIdentityResourceId = azurerm_user_assigned_identity.app.id
            }
          }
        }
        scaleAndConcurrency = {
          maximumInstanceCount = var.maximum_instance_count
          instanceMemoryMB     = var.instance_memory_mb
        }
        runtime = { name = "node", version = "22" }
      }
    }
  }
  response_export_values = ["properties.defaultHostName"]
}

# The whole app settings set, replaced on every apply (PUT sites/config/appsettings): nothing else is on the app.
resource "azapi_resource" "app_settings" {
  type      = "Microsoft.Web/sites/config@2024-04-01"
  name      = "appsettings"
  parent_id = azapi_resource.app.id
  body      = { properties = local.app_settings }
}
