// Every incident type, one file each in kinds/.
import type { IncidentType } from './incident.js';
import type { IncidentKind } from './incidentKind.js';
import { badDeployment } from './kinds/badDeployment.js';
import { configError } from './kinds/configError.js';
import { cpuSpike } from './kinds/cpuSpike.js';
import { errorSpike } from './kinds/errorSpike.js';
import { latencySpike } from './kinds/latencySpike.js';
import { memoryLeak } from './kinds/memoryLeak.js';
import { nodePressure } from './kinds/nodePressure.js';
import { podCrash } from './kinds/podCrash.js';

export const INCIDENT_KINDS: Record<IncidentType, IncidentKind> = {
  cpu_spike: cpuSpike,
  memory_leak: memoryLeak,
  latency_spike: latencySpike,
  error_spike: errorSpike,
  pod_crash: podCrash,
  bad_deployment: badDeployment,
  config_error: configError,
  node_pressure: nodePressure,
};
