# aks-aiops for `terraform apply`: the same deployment as infra/main.bicep (test/integration/infra/parity.test.ts
# compares resource types, role definition ids and app setting names). azurerm for everything it models; azapi for
# the custom tables and the kind=Direct data collection rule, which azurerm does not.
terraform {
  required_version = ">= 1.6.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.30"
    }
    azapi = {
      source  = "Azure/azapi"
      version = "~> 2.2"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "azurerm" {
  features {}
  # azurerm 4.x requires the subscription explicitly (or ARM_SUBSCRIPTION_ID): without it `terraform apply` stops at once.
  subscription_id = var.subscription_id
  # Shared keys are off on the storage account; the provider manages its containers with Entra auth too.
  storage_use_azuread = true
}

provider "azapi" {
  subscription_id = var.subscription_id
}
