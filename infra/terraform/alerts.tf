# Alerting: an action group for the app's /api/alerts webhook (its receiver is added after the deploy, see below), the
# recommended AKS rules pointing at it, and the alerts about aks-aiops itself.

# The webhook action group is created without its receiver: the receiver URL carries the app's default function key,
# which exists only once the app is deployed and its host runs (the host keeps keys in blob storage, through the
# identity, minutes after the role assignments). Reading it here failed a first apply ("error from host runtime") and
# kept the key in the Terraform state. `node dist/cli.js wire-alerts` (run after the app is deployed; docs/deploy.md)
# reads the key through ARM and adds the receiver; Terraform ignores the receiver from then on.
resource "azurerm_monitor_action_group" "webhook" {
  name                = "ag-aiops-webhook-${local.resource_token}"
  resource_group_name = azurerm_resource_group.main.name
  short_name          = "aiopsdiag"
  tags                = local.tags

  lifecycle {
    ignore_changes = [webhook_receiver]
  }
}

# Alerts about aks-aiops itself go to people, not back into the app.
resource "azurerm_monitor_action_group" "operators" {
  name                = "ag-aiops-operators-${local.resource_token}"
  resource_group_name = azurerm_resource_group.main.name
  short_name          = "aiopsops"
  tags                = local.tags

  dynamic "email_receiver" {
    for_each = var.operator_emails
    content {
      name                    = "operator-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

# Log search rules about aks-aiops itself, over the workspace the app writes to, to the operators. They differ only in
# what they watch; the rule body below is shared.
locals {
  app_alerts = {
    new_critical_finding = {
      display_name         = "aks-aiops: new critical finding"
      description          = "A sweep found a critical problem that was not there in the previous sweep."
      severity             = 1
      evaluation_frequency = "PT15M"
      window_duration      = "PT15M"
      auto_mitigation      = false
      query                = file("${path.module}/../kql/alert-new-critical-finding.kql")
      aggregation          = "Count"
      measure_column       = null
      operator             = "GreaterThan"
      threshold            = 0
      dimensions           = ["ClusterName", "Check", "Namespace", "Name"]
    }
    no_sweeps = {
      display_name         = "aks-aiops: no sweep results"
      description          = "No sweep row reached Log Analytics for an hour: the timer, discovery, the workers or ingestion is failing."
      severity             = 2
      evaluation_frequency = "PT30M"
      window_duration      = "PT1H"
      auto_mitigation      = true
      query                = file("${path.module}/../kql/alert-app-sweeps-stale.kql")
      aggregation          = "Total"
      measure_column       = "Sweeps"
      operator             = "LessThan"
      threshold            = 1
      dimensions           = []
    }
    function_failures = {
      display_name         = "aks-aiops: failing function invocations"
      description          = "Function invocations of the app fail repeatedly (Application Insights requests)."
      severity             = 2
      evaluation_frequency = "PT15M"
      window_duration      = "PT15M"
      auto_mitigation      = true
      query                = replace(file("${path.module}/../kql/alert-app-failures.kql"), "__FUNCTION_APP_NAME__", local.app_name)
      aggregation          = "Total"
      measure_column       = "Failures"
      operator             = "GreaterThan"
      threshold            = 5
      dimensions           = ["OperationName"]
    }
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "app" {
  for_each                = local.app_alerts
  name                    = "aks-aiops-${replace(each.key, "_", "-")}-${local.resource_token}"
  resource_group_name     = azurerm_resource_group.main.name
  location                = var.location
  display_name            = each.value.display_name
  description             = each.value.description
  severity                = each.value.severity
  evaluation_frequency    = each.value.evaluation_frequency
  window_duration         = each.value.window_duration
  scopes                  = [local.workspace_id]
  auto_mitigation_enabled = each.value.auto_mitigation
  tags                    = local.tags

  criteria {
    query                   = each.value.query
    time_aggregation_method = each.value.aggregation
    metric_measure_column   = each.value.measure_column
    operator                = each.value.operator
    threshold               = each.value.threshold
    dynamic "dimension" {
      for_each = each.value.dimensions
      content {
        name     = dimension.value
        operator = "Include"
        values   = ["*"]
      }
    }
    failing_periods {
      number_of_evaluation_periods             = 1
      minimum_failing_periods_to_trigger_alert = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.operators.id]
  }
  # The finding and sweep rules query the custom tables, which must exist first.
  depends_on = [azapi_resource.custom_tables]
}

# The three rules were separate resources; existing deployments keep them (no destroy and re-create).
moved {
  from = azurerm_monitor_scheduled_query_rules_alert_v2.new_critical_finding
  to   = azurerm_monitor_scheduled_query_rules_alert_v2.app["new_critical_finding"]
}
moved {
  from = azurerm_monitor_scheduled_query_rules_alert_v2.no_sweeps
  to   = azurerm_monitor_scheduled_query_rules_alert_v2.app["no_sweeps"]
}
moved {
  from = azurerm_monitor_scheduled_query_rules_alert_v2.function_failures
  to   = azurerm_monitor_scheduled_query_rules_alert_v2.app["function_failures"]
}

# The recommended Container Insights log search rules over each cluster workspace (clusters without managed
# Prometheus). Dimensions carry the cluster, namespace and object the webhook diagnoses.
locals {
  ci_rules = jsondecode(file("${path.module}/../containerInsightsAlerts.json"))
  ci_rule_instances = {
    for pair in setproduct(local.ci_rules, var.container_insights_workspace_ids) :
    "${pair[0].name}|${pair[1]}" => { rule = pair[0], workspace_id = pair[1] }
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "container_insights" {
  for_each                = local.ci_rule_instances
  name                    = "${each.value.rule.name}-${substr(sha1(each.value.workspace_id), 0, 13)}"
  resource_group_name     = azurerm_resource_group.main.name
  location                = var.location
  display_name            = each.value.rule.displayName
  description             = each.value.rule.description
  severity                = each.value.rule.severity
  evaluation_frequency    = "PT5M"
  window_duration         = each.value.rule.windowSize
  scopes                  = [each.value.workspace_id]
  auto_mitigation_enabled = true
  tags                    = local.tags

  criteria {
    query                   = file("${path.module}/../kql/${each.value.rule.query}.kql")
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0
    dynamic "dimension" {
      for_each = each.value.rule.dimensions
      content {
        name     = dimension.value
        operator = "Include"
        values   = ["*"]
      }
    }
    failing_periods {
      number_of_evaluation_periods             = 1
      minimum_failing_periods_to_trigger_alert = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.webhook.id]
  }
}

# Recommended AKS rules for clusters that send metrics to Azure Monitor managed Prometheus.
resource "azurerm_monitor_alert_prometheus_rule_group" "recommended" {
  count               = var.azure_monitor_workspace_id != "" ? 1 : 0
  name                = "aks-aiops-recommended-${local.resource_token}"
  resource_group_name = azurerm_resource_group.main.name
  location            = var.location
  description         = "Recommended AKS pod and node alerts, wired to the aks-aiops diagnostics webhook."
  rule_group_enabled  = true
  interval            = "PT1M"
  scopes              = [var.azure_monitor_workspace_id]
  tags                = local.tags

  dynamic "rule" {
    for_each = jsondecode(file("${path.module}/../prometheusRules.json"))
    content {
      alert       = rule.value.alert
      expression  = rule.value.expression
      for         = rule.value.for
      severity    = rule.value.severity
      enabled     = true
      labels      = { severity = rule.value.label }
      annotations = { description = rule.value.description }
      action {
        action_group_id = azurerm_monitor_action_group.webhook.id
      }
      alert_resolution {
        auto_resolved   = true
        time_to_resolve = "PT10M"
      }
    }
  }
}
