// The custom tables. Columns come from infra/tables.json, the single declaration (the app reads the same file through
// shared/results/tableSchemas.ts).
param workspaceName string

var tables = loadJsonContent('../tables.json')

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource customTables 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = [
  for table in tables: {
    parent: workspace
    name: table.table
    properties: {
      plan: 'Analytics'
      schema: {
        name: table.table
        description: table.description
        columns: map(table.columns, c => { name: c.name, type: c.type, description: c.description })
      }
    }
  }
]
