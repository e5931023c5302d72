// One Kubernetes vocabulary for the sweep and the diagnostics: what reasons, exit codes, scheduler and registry
// messages mean, quantities, kubectl commands, cluster names.
export * from './armId.js';
export * from './containerStates.js';
export * from './imagePull.js';
export * from './kubectl.js';
export * from './quantity.js';
export * from './scheduling.js';
export * from './volumes.js';
export * from './probes.js';
