data "azurerm_client_config" "current" {}
data "azurerm_subscription" "current" {}

resource "random_string" "token" {
  length  = 13
  special = false
  upper   = false
}

locals {
  resource_token   = var.resource_token != "" ? var.resource_token : random_string.token.result
  tags             = { "azd-env-name" = var.environment_name, application = "aks-aiops" }
  rg_name          = var.resource_group_name != "" ? var.resource_group_name : "rg-${var.environment_name}"
  app_name         = var.function_app_name != "" ? var.function_app_name : "func-aiops-${local.resource_token}"
  storage_name     = var.storage_account_name != "" ? var.storage_account_name : substr("staiops${local.resource_token}", 0, 24)
  create_workspace = var.existing_log_analytics_workspace_id == ""
  workspace_id     = local.create_workspace ? azurerm_log_analytics_workspace.results[0].id : var.existing_log_analytics_workspace_id
  # A DCR must be in its destination workspace's region; an existing workspace may be in another one.
  workspace_location  = local.create_workspace ? var.location : data.azapi_resource.existing_workspace[0].location
  sweep_subscriptions = length(var.sweep_subscription_ids) > 0 ? var.sweep_subscription_ids : [data.azurerm_subscription.current.subscription_id]

  # Shared with the Bicep: table columns (generated from shared/results/tableSchemas.ts), role ids, KQL, workbook.
  tables        = jsondecode(file("${path.module}/../tables.json"))
  role_ids      = jsondecode(file("${path.module}/../roles.json"))
  custom_roles  = jsondecode(file("${path.module}/../customRoles.json"))
  transform_kql = file("${path.module}/../kql/transform.kql")
}

resource "azurerm_resource_group" "main" {
  name     = local.rg_name
  location = var.location
  tags     = local.tags
}

# The app's only identity. Every role assignment in this deployment is granted to it, nothing else.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-aiops-${local.resource_token}"
  resource_group_name = azurerm_resource_group.main.name
  location            = var.location
  tags                = local.tags
}

# An existing results workspace, read by resource id (it may be in another subscription than the provider's).
data "azapi_resource" "existing_workspace" {
  count       = local.create_workspace ? 0 : 1
  type        = "Microsoft.OperationalInsights/workspaces@2023-09-01"
  resource_id = var.existing_log_analytics_workspace_id
}

resource "azurerm_log_analytics_workspace" "results" {
  count               = local.create_workspace ? 1 : 0
  name                = "log-aiops-${local.resource_token}"
  resource_group_name = azurerm_resource_group.main.name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = local.tags
}

# Storage for the Functions host, the queues, the tables and the deployment package. Shared keys are off.
resource "azurerm_storage_account" "app" {
  name                            = local.storage_name
  resource_group_name             = azurerm_resource_group.main.name
  location                        = var.location
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  shared_access_key_enabled       = false
  allow_nested_items_to_be_public = false
  default_to_oauth_authentication = true
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  tags                            = local.tags
}

resource "azurerm_storage_container" "deployment" {
  name                  = "app-package"
  storage_account_id    = azurerm_storage_account.app.id
  container_access_type = "private"
}

# Application Insights with local auth off: the host sends telemetry with the managed identity.
resource "azurerm_application_insights" "app" {
  name                          = "appi-aiops-${local.resource_token}"
  resource_group_name           = azurerm_resource_group.main.name
  location                      = var.location
  workspace_id                  = local.workspace_id
  application_type              = "web"
  local_authentication_disabled = true
  tags                          = local.tags
}
