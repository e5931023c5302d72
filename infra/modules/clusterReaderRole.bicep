// The custom role "aks-aiops Kubernetes cluster reader": the cluster-scoped reads Azure Kubernetes Service RBAC Reader
// lacks (nodes, storage classes, ingress classes, webhook configurations). Defined in the subscription of the first
// cluster scope, assignable at every scope the AKS read roles go to (clusterRoleScope).
targetScope = 'subscription'

@description('Role definition name (a GUID), also used by the role assignments.')
param roleDefinitionName string

@description('Appended to the role name: custom role names are unique per tenant and several environments may share one.')
param resourceToken string

@description('Subscriptions or resource groups (resource ids) where the role may be assigned: where the clusters are.')
param assignableScopes array

var customRoles = loadJsonContent('../customRoles.json')

resource clusterReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: roleDefinitionName
  properties: {
    roleName: '${customRoles.clusterReader.roleName} (${resourceToken})'
    description: customRoles.clusterReader.description
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: customRoles.clusterReader.dataActions
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output roleDefinitionName string = clusterReader.name
