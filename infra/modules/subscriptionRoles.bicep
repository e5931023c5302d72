// Roles on one subscription the app sweeps.
targetScope = 'subscription'

param principalId string
@description('Also grant the AKS read roles here (clusterRoleScope = subscription).')
param grantClusterRoles bool
@description('Name (GUID) of the custom cluster reader role definition (modules/clusterReaderRole.bicep).')
param clusterReaderRoleName string
@description('Assign the opt-in scaling role here (enableScaling).')
param grantScaling bool
@description('Name (GUID) of the custom cluster scaler role definition (modules/clusterScalerRole.bicep).')
param clusterScalerRoleName string

var roleIds = loadJsonContent('../roles.json')

// Discovery: list subscriptions and managed clusters, read cluster, node pool and upgrade profile state from ARM.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleIds.reader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.reader)
  }
}

// Kubernetes API access: listClusterUserCredential gives the (credential-less, Entra) kubeconfig of each cluster.
resource aksClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantClusterRoles) {
  name: guid(subscription().id, principalId, roleIds.aksClusterUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.aksClusterUser)
  }
}

// Read-only Kubernetes objects through Azure RBAC for Kubernetes; this role cannot read Secrets and cannot write.
resource aksRbacReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantClusterRoles) {
  name: guid(subscription().id, principalId, roleIds.aksRbacReader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.aksRbacReader)
  }
}

// Cluster-scoped Kubernetes objects RBAC Reader does not cover (nodes, storage and ingress classes, webhook
// configurations), through the custom "aks-aiops Kubernetes cluster reader" role: read only, no Secrets.
resource aksClusterReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantClusterRoles) {
  name: guid(subscription().id, principalId, clusterReaderRoleName)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', clusterReaderRoleName)
  }
}

// Opt-in (enableScaling): the custom "aks-aiops cluster scaler" role, agent pool write and cluster start/stop only.
resource aksClusterScaler 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantScaling) {
  name: guid(subscription().id, principalId, clusterScalerRoleName)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', clusterScalerRoleName)
  }
}
