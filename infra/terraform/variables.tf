variable "subscription_id" {
  description = "Subscription the resource group and the app are created in (azurerm 4.x requires it)."
  type        = string
  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a subscription GUID."
  }
}

variable "environment_name" {
  description = "Environment name, used in resource names and the azd-env-name tag."
  type        = string
}

variable "location" {
  description = "Region of every resource."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group to create (empty: rg-<environment_name>)."
  type        = string
  default     = ""
}

variable "resource_token" {
  description = "Suffix that makes global names unique (empty: a random 13-character token)."
  type        = string
  default     = ""
}

variable "function_app_name" {
  description = "Function app name (empty: func-aiops-<resource_token>)."
  type        = string
  default     = ""
}

variable "storage_account_name" {
  description = "Storage account name (empty: staiops<resource_token>)."
  type        = string
  default     = ""
}

variable "instance_memory_mb" {
  description = "Memory of each Flex Consumption instance: 2048 MB holds a large cluster page set and the bundle comfortably; 512 saves money on small fleets, 4096 for very large ones."
  type        = number
  default     = 2048
  validation {
    condition     = contains([512, 2048, 4096], var.instance_memory_mb)
    error_message = "instance_memory_mb must be 512, 2048 or 4096."
  }
}

variable "maximum_instance_count" {
  description = "Upper bound of Flex Consumption instances (sweeps fan out one message per cluster)."
  type        = number
  default     = 100
}

variable "existing_log_analytics_workspace_id" {
  description = "Resource id of an existing Log Analytics workspace for the results tables and App Insights (empty: create one)."
  type        = string
  default     = ""
}

variable "sweep_subscription_ids" {
  description = "Subscriptions the identity discovers and sweeps clusters in (Reader). Empty: the current subscription only."
  type        = list(string)
  default     = []
}

variable "cluster_role_scope" {
  description = "Where the AKS read roles are granted: subscription (every sweep subscription) or resourceGroups (only cluster_resource_groups)."
  type        = string
  default     = "subscription"
  validation {
    condition     = contains(["subscription", "resourceGroups"], var.cluster_role_scope)
    error_message = "cluster_role_scope must be subscription or resourceGroups."
  }
}

variable "cluster_resource_groups" {
  description = "Resource groups holding the clusters when cluster_role_scope = resourceGroups, as <subscriptionId>/<resourceGroup>."
  type        = list(string)
  default     = []
}

variable "container_insights_workspace_ids" {
  description = "Resource ids of the Container Insights workspaces the clusters send to: Log Analytics Reader, and the recommended log search alert rules. Evidence queries are resource-centric on each cluster; a non-empty list turns them on."
  type        = list(string)
  default     = []
}

variable "azure_monitor_workspace_id" {
  description = "Resource id of the Azure Monitor workspace of clusters using managed Prometheus (empty: no Prometheus rule group)."
  type        = string
  default     = ""
}

variable "operator_emails" {
  description = "Email addresses that receive the alerts about aks-aiops itself (new critical finding, app health)."
  type        = list(string)
  default     = []
}

variable "sweep_schedule" {
  description = "NCRONTAB schedule of the fleet sweep."
  type        = string
  default     = "0 */15 * * * *"
}

variable "ingestion_retry_schedule" {
  description = "NCRONTAB schedule of the ingestion spool retry."
  type        = string
  default     = "0 */5 * * * *"
}

variable "simulator_enabled" {
  description = "Register the simulator endpoints (off in production)."
  type        = bool
  default     = false
}

variable "enable_scaling" {
  description = "Let the scaling timer change clusters: defines and assigns the custom \"aks-aiops cluster scaler\" role (agent pool write, cluster start/stop) where the clusters are, and sets SCALING_ENABLED. Off: schedules are only planned."
  type        = bool
  default     = false
}
