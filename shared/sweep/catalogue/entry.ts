// The shape of a catalogue entry and the helper every family file builds its entries with. The family is a type
// parameter so this file needs nothing from shared/sweep/catalogue.ts (which owns the CheckFamily union and puts the
// family files together): a family file names the families it holds, and CATALOGUE's type checks them against the union.
import type { Severity } from '../types.js';

/** live: needs status/Endpoints/events (a cluster); spec: reads only the spec (works on manifests); both: either. */
export type CheckState = 'live' | 'spec' | 'spec+live' | 'arm';

export interface PeerIds {
  popeye?: string[];
  polaris?: string[];
  kubeScore?: string[];
}

export interface CheckEntryOf<Family extends string> {
  id: string;
  /** Default severity; some checks report a lower one for a milder variant (noted in `title`). */
  severity: Severity;
  family: Family;
  state: CheckState;
  title: string;
  why: string;
  fix: string;
  docsUrl: string;
  /** Off unless enabled in aks-aiops.yaml / SWEEP_POLICY (peers disagree on them). */
  optIn?: boolean;
  /** Former ids of this check: configuration and exemptions naming them still apply. */
  aliases?: string[];
}

export const K8S = 'https://kubernetes.io/docs';
export const AKS = 'https://learn.microsoft.com/azure/aks';
export const PSS = `${K8S}/concepts/security/pod-security-standards/`;

export function checkEntry<Family extends string>(
  id: string,
  severity: Severity,
  family: Family,
  state: CheckState,
  title: string,
  why: string,
  fix: string,
  docsUrl: string,
  extra: Partial<Omit<CheckEntryOf<Family>, 'family'>> = {},
): CheckEntryOf<Family> {
  return { id, severity, family, state, title, why, fix, docsUrl, ...extra };
}
