# Same names as the Bicep outputs (azd style, UPPER_SNAKE).
output "AZURE_LOCATION" { value = var.location }
output "AZURE_TENANT_ID" { value = data.azurerm_client_config.current.tenant_id }
output "AZURE_RESOURCE_GROUP" { value = azurerm_resource_group.main.name }
output "AZURE_FUNCTION_APP_NAME" { value = azapi_resource.app.name }
output "AZURE_FUNCTION_APP_URL" { value = "https://${azapi_resource.app.output.properties.defaultHostName}" }
output "AZURE_CLIENT_ID" { value = azurerm_user_assigned_identity.app.client_id }
output "AZURE_STORAGE_ACCOUNT_NAME" { value = azurerm_storage_account.app.name }
output "LOGS_INGESTION_ENDPOINT" { value = azapi_resource.dcr.output.properties.endpoints.logsIngestion }
output "LOGS_DCR_IMMUTABLE_ID" { value = azapi_resource.dcr.output.properties.immutableId }
output "LOG_ANALYTICS_WORKSPACE_RESOURCE_ID" { value = local.workspace_id }
output "APPLICATIONINSIGHTS_NAME" { value = azurerm_application_insights.app.name }
output "AZURE_ACTION_GROUP_ID" { value = azurerm_monitor_action_group.webhook.id }
output "AZURE_WORKBOOK_ID" { value = azurerm_application_insights_workbook.aiops.id }
