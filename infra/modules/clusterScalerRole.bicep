// The opt-in custom role "aks-aiops cluster scaler" (deployment parameter enableScaling): agent pool write and managed
// cluster read/start/stop, exactly what the scaling timer's ARM long-running operations need
// (AgentPools_CreateOrUpdate, ManagedClusters_Start, ManagedClusters_Stop). Defined like the cluster reader role, in
// the subscription of the first cluster scope, assignable where the clusters are.
targetScope = 'subscription'

@description('Role definition name (a GUID), also used by the role assignments.')
param roleDefinitionName string

@description('Appended to the role name: custom role names are unique per tenant and several environments may share one.')
param resourceToken string

@description('Subscriptions or resource groups (resource ids) where the role may be assigned: where the clusters are.')
param assignableScopes array

var customRoles = loadJsonContent('../customRoles.json')

resource clusterScaler 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: roleDefinitionName
  properties: {
    roleName: '${customRoles.clusterScaler.roleName} (${resourceToken})'
    description: customRoles.clusterScaler.description
    type: 'CustomRole'
    permissions: [
      {
        actions: customRoles.clusterScaler.actions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output roleDefinitionName string = clusterScaler.name
