// ARM properties of the production cluster that the ARM tests read back (through the SDK clients) and the ARM-facts
// analyzers judge: Standard tier, a system pool and an autoscaled GPU pool already at its maximum, on a January 2025
// node image older than the one the local ARM offers (dev/standins/armResources.ts LATEST_NODE_IMAGE).
export const PROD_CLUSTER_PROPERTIES: Record<string, unknown> = {
  sku: { tier: 'Standard' },
  agentPoolProfiles: [
    { name: 'system', mode: 'System', count: 3 },
    {
      name: 'gpu',
      count: 6,
      maxCount: 6,
      enableAutoScaling: true,
      vmSize: 'Standard_NC6s_v3',
      nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.05.0',
    },
  ],
};
