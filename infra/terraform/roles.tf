# Least-privilege roles, all for the app's managed identity. Nothing here grants Secret reads or cluster writes.

# Functions host (AzureWebJobsStorage: keys, leases, timers), the Flex deployment package and the ingestion spool blobs.
resource "azurerm_role_assignment" "storage_blob_data_owner" {
  scope              = azurerm_storage_account.app.id
  role_definition_id = "${data.azurerm_subscription.current.id}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.storageBlobDataOwner}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Queue triggers and producers: alerts, sweeps, ingestion-spool (and their poison queues).
resource "azurerm_role_assignment" "storage_queue_data_contributor" {
  scope              = azurerm_storage_account.app.id
  role_definition_id = "${data.azurerm_subscription.current.id}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.storageQueueDataContributor}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Table storage: incidents, latest findings, sweeps, diagnoses, alert de-duplication keys.
resource "azurerm_role_assignment" "storage_table_data_contributor" {
  scope              = azurerm_storage_account.app.id
  role_definition_id = "${data.azurerm_subscription.current.id}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.storageTableDataContributor}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# The results sink: LogsIngestionClient.upload to this rule's streams.
resource "azurerm_role_assignment" "dcr_metrics_publisher" {
  scope              = azapi_resource.dcr.id
  role_definition_id = "${data.azurerm_subscription.current.id}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.monitoringMetricsPublisher}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Application Insights has local auth off; the Functions host sends telemetry with the identity.
resource "azurerm_role_assignment" "app_insights_metrics_publisher" {
  scope              = azurerm_application_insights.app.id
  role_definition_id = "${data.azurerm_subscription.current.id}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.monitoringMetricsPublisher}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Discovery: list subscriptions and managed clusters, read cluster, node pool and upgrade profile state from ARM.
resource "azurerm_role_assignment" "reader" {
  for_each           = toset(local.sweep_subscriptions)
  scope              = "/subscriptions/${each.value}"
  role_definition_id = "/subscriptions/${each.value}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.reader}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

locals {
  # Subscriptions, or the chosen resource groups, where the clusters are.
  cluster_scopes = var.cluster_role_scope == "subscription" ? {
    for s in local.sweep_subscriptions : s => { scope = "/subscriptions/${s}", subscription = s }
    } : {
    for g in var.cluster_resource_groups : g => {
      scope        = "/subscriptions/${split("/", g)[0]}/resourceGroups/${split("/", g)[1]}"
      subscription = split("/", g)[0]
    }
  }
}

# Kubernetes API access: listClusterUserCredential gives the (credential-less, Entra) kubeconfig of each cluster.
resource "azurerm_role_assignment" "aks_cluster_user" {
  for_each           = local.cluster_scopes
  scope              = each.value.scope
  role_definition_id = "/subscriptions/${each.value.subscription}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.aksClusterUser}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Read-only Kubernetes objects through Azure RBAC for Kubernetes; this role cannot read Secrets and cannot write.
resource "azurerm_role_assignment" "aks_rbac_reader" {
  for_each           = local.cluster_scopes
  scope              = each.value.scope
  role_definition_id = "/subscriptions/${each.value.subscription}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.aksRbacReader}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Cluster-scoped Kubernetes reads that Azure Kubernetes Service RBAC Reader lacks (nodes, storage and ingress classes,
# webhook configurations): the custom "aks-aiops Kubernetes cluster reader" role, assignable where the clusters are.
# Defined in the subscription of the first cluster scope; none when there is nowhere to assign it. Custom role names are
# unique per tenant, hence the token.
resource "azurerm_role_definition" "cluster_reader" {
  count             = length(local.cluster_scopes) > 0 ? 1 : 0
  name              = "${local.custom_roles.clusterReader.roleName} (${local.resource_token})"
  description       = local.custom_roles.clusterReader.description
  scope             = "/subscriptions/${values(local.cluster_scopes)[0].subscription}"
  assignable_scopes = [for c in values(local.cluster_scopes) : c.scope]
  permissions {
    actions          = []
    not_actions      = []
    data_actions     = local.custom_roles.clusterReader.dataActions
    not_data_actions = []
  }
}

# Cluster-scoped Kubernetes objects RBAC Reader does not cover, through the custom cluster reader role: read only, no Secrets.
resource "azurerm_role_assignment" "aks_cluster_reader" {
  for_each           = local.cluster_scopes
  scope              = each.value.scope
  role_definition_id = "/subscriptions/${each.value.subscription}/providers/Microsoft.Authorization/roleDefinitions/${azurerm_role_definition.cluster_reader[0].role_definition_id}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Opt-in write access for scheduled scaling (enable_scaling): the custom "aks-aiops cluster scaler" role, agent pool
# write and managed cluster read/start/stop only, assignable and assigned where the clusters are.
resource "azurerm_role_definition" "cluster_scaler" {
  count             = var.enable_scaling && length(local.cluster_scopes) > 0 ? 1 : 0
  name              = "${local.custom_roles.clusterScaler.roleName} (${local.resource_token})"
  description       = local.custom_roles.clusterScaler.description
  scope             = "/subscriptions/${values(local.cluster_scopes)[0].subscription}"
  assignable_scopes = [for c in values(local.cluster_scopes) : c.scope]
  permissions {
    actions          = local.custom_roles.clusterScaler.actions
    not_actions      = []
    data_actions     = []
    not_data_actions = []
  }
}

resource "azurerm_role_assignment" "aks_cluster_scaler" {
  for_each           = var.enable_scaling ? local.cluster_scopes : {}
  scope              = each.value.scope
  role_definition_id = "/subscriptions/${each.value.subscription}/providers/Microsoft.Authorization/roleDefinitions/${azurerm_role_definition.cluster_scaler[0].role_definition_id}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}

# Evidence queries (KubePodInventory, KubeEvents, ContainerLogV2, ...): query only, no workspace writes or shared keys.
resource "azurerm_role_assignment" "log_analytics_reader" {
  for_each           = toset(var.container_insights_workspace_ids)
  scope              = each.value
  role_definition_id = "/subscriptions/${split("/", each.value)[2]}/providers/Microsoft.Authorization/roleDefinitions/${local.role_ids.logAnalyticsReader}"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
  principal_type     = "ServicePrincipal"
}
