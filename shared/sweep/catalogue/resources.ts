// The catalogue's resources checks; shared/sweep/catalogue.ts puts every part together.
import { checkEntry, K8S, type CheckEntryOf } from './entry.js';

export const RESOURCE_CHECKS: readonly CheckEntryOf<'resources'>[] = [
  checkEntry(
    'bestpractice.requests-missing',
    'warning',
    'resources',
    'spec',
    'CPU or memory requests missing',
    'Scheduling and eviction are blind.',
    'Set requests.',
    `${K8S}/concepts/configuration/manage-resources-containers/`,
  ),
  checkEntry(
    'bestpractice.memory-limit-missing',
    'warning',
    'resources',
    'spec',
    'Memory limit missing',
    'One container can exhaust the node.',
    'Set a memory limit.',
    `${K8S}/concepts/configuration/manage-resources-containers/`,
  ),
  checkEntry(
    'resources.ephemeral-storage-missing',
    'info',
    'resources',
    'spec',
    'No ephemeral-storage request and limit',
    'Disk use is unaccounted; DiskPressure evicts the node.',
    'Set ephemeral-storage requests/limits.',
    `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  ),
  checkEntry(
    'resources.requests-not-equal-limits',
    'info',
    'resources',
    'spec',
    'Not Guaranteed QoS (requests ≠ limits)',
    'Evicted before Guaranteed pods.',
    'Limits equal to requests where it matters.',
    `${K8S}/concepts/workloads/pods/pod-qos/`,
    {
      optIn: true,
    },
  ),
  checkEntry(
    'resources.cpu-limit-missing',
    'warning',
    'resources',
    'spec',
    'CPU limit missing (policy choice)',
    'Peers disagree: limits throttle.',
    'Set limits.cpu if your policy asks.',
    `${K8S}/concepts/configuration/manage-resources-containers/`,
    { optIn: true },
  ),
];
