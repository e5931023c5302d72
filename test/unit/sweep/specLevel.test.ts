// Spec-level checks: what a manifest set (no status, no Endpoints) is judged by, standing in for live state.
import { describe } from '@jest/globals';
import { serviceSelectorAnalyzer } from '../../../shared/sweep/analyzers/serviceSelector.js';
import { podDisruptionBudgetSpecAnalyzer } from '../../../shared/sweep/analyzers/podDisruptionBudgetSpec.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { analyzerTable, workload } from './sweepTestKit.js';

const service = (name: string, selector: Record<string, string> | undefined, ns = 'shop'): KubeObject => ({
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ port: 80 }] },
});
const pdb = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  status,
});

describe('serviceSelector (spec level)', () => {
  analyzerTable(serviceSelectorAnalyzer, [
    {
      name: 'selector matches a Deployment template',
      why: 'the Service will get endpoints once the Deployment runs',
      objects: { services: [service('web', { app: 'web' })], deployments: [workload('Deployment')] },
      expect: [],
    },
    {
      name: 'selector matches no pod template',
      why: 'a manifest Service nothing will ever back',
      objects: { services: [service('web', { app: 'wbe' })], deployments: [workload('Deployment')] },
      expect: ['service.selector-matches-nothing'],
      mentions: ['app=wbe'],
    },
    {
      name: 'same selector, other namespace',
      why: 'Services select pods in their own namespace only',
      objects: {
        services: [service('web', { app: 'web' }, 'other')],
        deployments: [workload('Deployment')],
      },
      expect: ['service.selector-matches-nothing'],
    },
    {
      name: 'live cluster: an Endpoints object exists',
      why: 'live state decides (service.no-endpoints), not the spec',
      objects: {
        services: [service('web', { app: 'wbe' })],
        endpoints: [{ metadata: { name: 'web', namespace: 'shop' } }],
      },
      expect: [],
    },
    {
      name: 'no selector',
      why: 'hand-managed endpoints cannot be judged from the spec',
      objects: { services: [service('external-db', undefined)] },
      expect: [],
    },
  ]);
});

describe('podDisruptionBudgetSpec', () => {
  analyzerTable(podDisruptionBudgetSpecAnalyzer, [
    {
      name: 'maxUnavailable 1 over 3 replicas',
      why: 'one pod can be moved at a time',
      objects: { poddisruptionbudgets: [pdb({ maxUnavailable: 1 })], deployments: [workload('Deployment')] },
      expect: [],
    },
    {
      name: 'maxUnavailable 0',
      why: 'no eviction is ever allowed',
      objects: { poddisruptionbudgets: [pdb({ maxUnavailable: 0 })], deployments: [workload('Deployment')] },
      expect: ['pdb.blocks-disruptions'],
      mentions: ['spec.maxUnavailable is 0'],
    },
    {
      name: 'minAvailable 100%',
      why: 'every pod must stay',
      objects: { poddisruptionbudgets: [pdb({ minAvailable: '100%' })], deployments: [workload('Deployment')] },
      expect: ['pdb.blocks-disruptions'],
    },
    {
      name: 'minAvailable equal to replicas',
      why: 'minAvailable 3 of 3 replicas leaves no room for an eviction',
      objects: { poddisruptionbudgets: [pdb({ minAvailable: 3 })], deployments: [workload('Deployment')] },
      expect: ['pdb.blocks-disruptions'],
      mentions: ['3 replica(s) of Deployment web'],
    },
    {
      name: 'minAvailable below replicas',
      why: 'minAvailable 2 of 3 lets one pod go',
      objects: { poddisruptionbudgets: [pdb({ minAvailable: 2 })], deployments: [workload('Deployment')] },
      expect: [],
    },
    {
      name: 'selects nothing (manifest)',
      why: 'no pod template carries app=web',
      objects: {
        poddisruptionbudgets: [pdb({ maxUnavailable: 1 })],
        deployments: [workload('Deployment', { name: 'api' })],
      },
      expect: ['pdb.no-pods'],
    },
    {
      name: 'selects nothing but has live status',
      why: 'live state (status.expectedPods) is judged by the podDisruptionBudget analyzer',
      objects: {
        poddisruptionbudgets: [pdb({ maxUnavailable: 1 }, { expectedPods: 3, disruptionsAllowed: 1 })],
        deployments: [workload('Deployment', { name: 'api' })],
      },
      expect: [],
    },
  ]);
});
