// ARM facts about a managed cluster, turned into findings. Pure: `readArmFacts` (armFactsReader.ts) fetches.
import type {
  AgentPoolUpgradeProfile,
  KubernetesVersion,
  ManagedCluster,
  ManagedClusterUpgradeProfile,
} from '@azure/arm-containerservice';
import type { FindingDraft } from '../sweep/analyzer.js';

export interface ArmFacts {
  cluster: ManagedCluster;
  upgradeProfile?: ManagedClusterUpgradeProfile;
  /** Versions AKS offers in the cluster's region (managedClusters.listKubernetesVersions). */
  kubernetesVersions?: KubernetesVersion[];
  /** Per agent pool name. */
  poolUpgradeProfiles: Record<string, AgentPoolUpgradeProfile>;
}

const AKS_DOCS = 'https://learn.microsoft.com/azure/aks';

function minorOf(version: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function analyzeArmFacts(facts: ArmFacts): FindingDraft[] {
  const c = facts.cluster;
  const name = c.name ?? '(unnamed)';
  const out: FindingDraft[] = [];
  const cluster = (f: Omit<FindingDraft, 'kind' | 'name'>) => out.push({ kind: 'ManagedCluster', name, ...f });
  const prop = (path: string, value: unknown) =>
    `az aks show -n ${name} -g <rg> --query ${path} → ${JSON.stringify(value ?? null)}`;

  if (c.provisioningState === 'Failed') {
    cluster({
      check: 'arm.cluster-provisioning-failed',
      severity: 'critical',
      message: `Managed cluster ${name} is in provisioningState Failed: its last operation failed and further changes may be blocked.`,
      evidence: [prop('provisioningState', c.provisioningState)],
      remediation:
        'Find the failed operation in the activity log, fix its cause, then run `az aks update -n <name> -g <rg>` (no changes) to reconcile the cluster.',
      docsUrl: 'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/welcome-azure-kubernetes',
    });
  }
  if (c.powerState?.code === 'Stopped') {
    cluster({
      check: 'arm.cluster-stopped',
      severity: 'warning',
      message: `Managed cluster ${name} is stopped (powerState.code Stopped): its workloads are not running and its Kubernetes API was not swept.`,
      evidence: [prop('powerState.code', 'Stopped')],
      remediation:
        'Start it with `az aks start` if it should be running; AKS removes clusters stopped for more than 12 months from support.',
      docsUrl: `${AKS_DOCS}/start-stop-cluster`,
    });
  }

  const version = c.currentKubernetesVersion ?? c.kubernetesVersion;
  const minor = minorOf(version);
  const ga = (facts.kubernetesVersions ?? []).filter((v) => !v.isPreview && v.version);
  if (minor && ga.length > 0) {
    const entry = ga.find((v) => v.version === minor);
    const lts =
      c.supportPlan === 'AKSLongTermSupport' && entry?.capabilities?.supportPlan?.includes('AKSLongTermSupport');
    const supportedOfficially = entry?.capabilities?.supportPlan?.includes('KubernetesOfficial') ?? entry !== undefined;
    const offered = ga.map((v) => v.version ?? '').sort(compareVersions);
    if (!entry || (!supportedOfficially && !lts)) {
      cluster({
        check: 'arm.kubernetes-version-unsupported',
        severity: 'critical',
        message: `Managed cluster ${name} runs Kubernetes ${version}, which AKS no longer supports in ${c.location} (supported minors: ${offered.join(', ')}).`,
        evidence: [
          prop('currentKubernetesVersion', version),
          `az aks get-versions -l ${c.location} --query "values[?!isPreview].version" → ${offered.join(', ')}`,
        ],
        remediation: `Upgrade the control plane and node pools one minor version at a time (\`az aks upgrade -n ${name} -g <rg> -k <version>\`), or move to the AKS long-term support plan if you need more time.`,
        docsUrl: `${AKS_DOCS}/supported-kubernetes-versions`,
      });
    } else if (!lts && offered[0] === minor) {
      cluster({
        check: 'arm.kubernetes-version-oldest-supported',
        severity: 'info',
        message: `Managed cluster ${name} runs Kubernetes ${version}, the oldest minor AKS still supports in ${c.location}; it leaves support when the next minor is released.`,
        evidence: [
          prop('currentKubernetesVersion', version),
          `az aks get-versions -l ${c.location} --query "values[?!isPreview].version" → ${offered.join(', ')}`,
        ],
        remediation: 'Plan the upgrade to the next minor version now, or enable an auto-upgrade channel.',
        docsUrl: `${AKS_DOCS}/supported-kubernetes-versions`,
      });
    }
  }
  const upgrades = (facts.upgradeProfile?.controlPlaneProfile.upgrades ?? [])
    .filter((u) => !u.isPreview && u.kubernetesVersion)
    .map((u) => u.kubernetesVersion ?? '')
    .sort(compareVersions);
  if (upgrades.length > 0) {
    const latest = upgrades[upgrades.length - 1];
    cluster({
      check: 'arm.kubernetes-upgrade-available',
      severity: 'info',
      message: `Managed cluster ${name} runs Kubernetes ${version ?? '?'}; upgrades are available up to ${latest} (${upgrades.join(', ')}).`,
      evidence: [
        `az aks get-upgrades -n ${name} -g <rg> --query "controlPlaneProfile.upgrades[?!isPreview].kubernetesVersion" → ${upgrades.join(', ')}`,
      ],
      remediation: `Upgrade with \`az aks upgrade -n ${name} -g <rg> -k ${latest}\` in a maintenance window, or let an auto-upgrade channel (patch or stable) do it.`,
      docsUrl: `${AKS_DOCS}/upgrade-aks-cluster`,
    });
  }

  for (const pool of c.agentPoolProfiles ?? []) {
    const poolName = pool.name;
    const pf = (f: Omit<FindingDraft, 'kind' | 'name'>) =>
      out.push({ kind: 'AgentPool', name: `${name}/${poolName}`, ...f });
    const poolProp = (path: string, value: unknown) =>
      `az aks nodepool show --cluster-name ${name} -g <rg> -n ${poolName} --query ${path} → ${JSON.stringify(value ?? null)}`;
    if (pool.provisioningState === 'Failed') {
      pf({
        check: 'arm.nodepool-provisioning-failed',
        severity: 'critical',
        message: `Node pool ${poolName} of ${name} is in provisioningState Failed: scaling and upgrades of this pool are blocked.`,
        evidence: [poolProp('provisioningState', pool.provisioningState)],
        remediation:
          'Check the activity log for the failed operation (quota, subnet IP exhaustion, VM SKU capacity), fix it and reconcile with `az aks nodepool update`.',
        docsUrl: 'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/welcome-azure-kubernetes',
      });
    }
    if (pool.powerState?.code === 'Stopped' && c.powerState?.code !== 'Stopped') {
      pf({
        check: 'arm.nodepool-stopped',
        severity: 'info',
        message: `Node pool ${poolName} of ${name} is stopped (powerState.code Stopped): it runs no nodes.`,
        evidence: [poolProp('powerState.code', 'Stopped')],
        remediation: 'Start it with `az aks nodepool start` if it should be serving.',
        docsUrl: `${AKS_DOCS}/start-stop-nodepools`,
      });
    }
    if (pool.enableAutoScaling && pool.maxCount !== undefined && (pool.count ?? 0) >= pool.maxCount) {
      pf({
        check: 'arm.nodepool-at-max',
        severity: 'warning',
        message: `Node pool ${poolName} of ${name} runs ${pool.count ?? 0} nodes, the cluster autoscaler maximum (maxCount ${pool.maxCount}): pending pods cannot get new nodes.`,
        evidence: [poolProp('[count,maxCount,enableAutoScaling]', [pool.count, pool.maxCount, pool.enableAutoScaling])],
        remediation: `Raise the maximum (\`az aks nodepool update --cluster-name ${name} -g <rg> -n ${poolName} --update-cluster-autoscaler --min-count <n> --max-count <m>\`) if subscription quota and subnet IPs allow, or add a pool.`,
        docsUrl: `${AKS_DOCS}/cluster-autoscaler`,
      });
    }
    const latestImage = poolName ? facts.poolUpgradeProfiles[poolName]?.latestNodeImageVersion : undefined;
    if (latestImage && pool.nodeImageVersion && latestImage !== pool.nodeImageVersion) {
      pf({
        check: 'arm.node-image-upgrade-available',
        severity: 'info',
        message: `Node pool ${poolName} of ${name} runs node image ${pool.nodeImageVersion}; ${latestImage} is available with the latest OS security patches.`,
        evidence: [
          poolProp('nodeImageVersion', pool.nodeImageVersion),
          `az aks nodepool get-upgrades --cluster-name ${name} -g <rg> -n ${poolName} --query latestNodeImageVersion → ${latestImage}`,
        ],
        remediation: `Run \`az aks nodepool upgrade --node-image-only --cluster-name ${name} -g <rg> -n ${poolName}\`, or set the node OS upgrade channel to NodeImage.`,
        docsUrl: `${AKS_DOCS}/node-image-upgrade`,
      });
    }
  }

  if (c.sku?.tier === 'Free') {
    cluster({
      check: 'arm.sku-free-tier',
      severity: 'info',
      message: `Managed cluster ${name} uses the Free tier (sku.tier Free): the control plane has no uptime SLA and is not sized for production load.`,
      evidence: [prop('sku.tier', 'Free')],
      remediation: `Use the Standard tier for production: \`az aks update -n ${name} -g <rg> --tier standard\`.`,
      docsUrl: `${AKS_DOCS}/free-standard-pricing-tiers`,
    });
  }
  const channel = c.autoUpgradeProfile?.upgradeChannel;
  if (!channel || channel === 'none') {
    cluster({
      check: 'arm.auto-upgrade-disabled',
      severity: 'info',
      message: `Managed cluster ${name} has no auto-upgrade channel (autoUpgradeProfile.upgradeChannel ${channel ?? 'unset'}): it falls behind on patches unless upgraded by hand.`,
      evidence: [prop('autoUpgradeProfile.upgradeChannel', channel)],
      remediation: `Enable the patch or stable channel with a planned maintenance window: \`az aks update -n ${name} -g <rg> --auto-upgrade-channel patch\`.`,
      docsUrl: `${AKS_DOCS}/auto-upgrade-cluster`,
    });
  }
  if (!c.aadProfile) {
    cluster({
      check: 'arm.entra-integration-missing',
      severity: 'critical',
      message: `Managed cluster ${name} uses local accounts only (no aadProfile): nobody, including this sweep's managed identity, can sign in with Microsoft Entra ID, so its Kubernetes objects were not swept.`,
      evidence: [prop('aadProfile', null), prop('disableLocalAccounts', c.disableLocalAccounts)],
      remediation: `Enable AKS-managed Entra integration with Azure RBAC (\`az aks update -n ${name} -g <rg> --enable-aad --enable-azure-rbac\`), give the sweep identity "Azure Kubernetes Service RBAC Reader", then disable local accounts.`,
      docsUrl: `${AKS_DOCS}/enable-authentication-microsoft-entra-id`,
    });
  } else {
    if (c.disableLocalAccounts !== true) {
      cluster({
        check: 'arm.local-accounts-enabled',
        severity: 'warning',
        message: `Managed cluster ${name} still allows local accounts (disableLocalAccounts false): the static admin credential bypasses Entra ID and Azure RBAC.`,
        evidence: [prop('disableLocalAccounts', c.disableLocalAccounts ?? false)],
        remediation: `Disable them with \`az aks update -n ${name} -g <rg> --disable-local-accounts\` once every user signs in through Entra ID.`,
        docsUrl: `${AKS_DOCS}/manage-local-accounts-managed-azure-ad`,
      });
    }
    if (c.aadProfile.enableAzureRbac !== true) {
      cluster({
        check: 'arm.azure-rbac-disabled',
        severity: 'info',
        message: `Managed cluster ${name} authorises Entra users with Kubernetes RBAC, not Azure RBAC (aadProfile.enableAzureRbac false): the sweep identity needs a Kubernetes RoleBinding instead of an Azure role.`,
        evidence: [prop('aadProfile.enableAzureRbac', c.aadProfile.enableAzureRbac ?? false)],
        remediation:
          'Either enable Azure RBAC (`az aks update --enable-azure-rbac`) and assign "Azure Kubernetes Service RBAC Reader", or bind the identity to the "view" ClusterRole.',
        docsUrl: `${AKS_DOCS}/manage-azure-rbac`,
      });
    }
  }
  if (c.enableRbac === false) {
    cluster({
      check: 'arm.kubernetes-rbac-disabled',
      severity: 'critical',
      message: `Managed cluster ${name} has Kubernetes RBAC disabled (enableRbac false): every authenticated user can do anything.`,
      evidence: [prop('enableRbac', false)],
      remediation: 'RBAC cannot be enabled in place: recreate the cluster with RBAC and migrate the workloads.',
      docsUrl: `${AKS_DOCS}/concepts-identity`,
    });
  }
  const access = c.apiServerAccessProfile;
  if (access?.enablePrivateCluster) {
    cluster({
      check: 'arm.private-api-server',
      severity: 'info',
      message: `Managed cluster ${name} has a private API server (apiServerAccessProfile.enablePrivateCluster true): the sweep reaches it only from a network linked to its private endpoint (VNet-integrated Function app).`,
      evidence: [prop('apiServerAccessProfile.enablePrivateCluster', true), prop('privateFqdn', c.privateFqdn)],
      remediation:
        'Run the Function app with VNet integration into a network that resolves and reaches the private FQDN, or use the AKS run-command API.',
      docsUrl: `${AKS_DOCS}/private-clusters`,
    });
  } else if ((access?.authorizedIPRanges ?? []).length === 0) {
    cluster({
      check: 'arm.api-server-unrestricted',
      severity: 'info',
      message: `Managed cluster ${name} exposes a public API server to every IP address (no apiServerAccessProfile.authorizedIPRanges).`,
      evidence: [prop('apiServerAccessProfile.authorizedIPRanges', access?.authorizedIPRanges ?? [])],
      remediation:
        'Restrict it with `az aks update --api-server-authorized-ip-ranges` (include the Function app outbound IPs), or make the cluster private.',
      docsUrl: `${AKS_DOCS}/api-server-authorized-ip-ranges`,
    });
  }
  return out;
}
