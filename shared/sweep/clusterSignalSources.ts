// The one registry of finding sources that read outside the Kubernetes API (see clusterSignals.ts).
import { createAnomalySignalSource } from '../metrics/anomalySignalSource.js';
import type { ClusterSignalSource } from './clusterSignals.js';
import { rightsizingSignalSource } from '../scaling/rightsizingSignalSource.js';

export const CLUSTER_SIGNAL_SOURCES: readonly ClusterSignalSource[] = [
  createAnomalySignalSource(),
  rightsizingSignalSource,
];
