// AKS read roles narrowed to one resource group of clusters (clusterRoleScope = resourceGroups).
param principalId string

var roleIds = loadJsonContent('../roles.json')

// Kubernetes API access: listClusterUserCredential gives the (credential-less, Entra) kubeconfig of each cluster.
resource aksClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleIds.aksClusterUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.aksClusterUser)
  }
}

// Read-only Kubernetes objects through Azure RBAC for Kubernetes; this role cannot read Secrets and cannot write.
resource aksRbacReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleIds.aksRbacReader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.aksRbacReader)
  }
}
