// Best-practice checks look at the object a person edits: the workload controller's pod template, or a bare Pod.
// ReplicaSets owned by Deployments, Jobs owned by CronJobs and Pods owned by anything are skipped, so one mistake
// is one finding.
import type { Analyzer, FindingDraft } from '../analyzer.js';
import type { Container, KubeObject, PodTemplate } from '../../kube/objects.js';
import { KUBE_RESOURCES, type ResourceKey } from '../../kube/resources.js';
import { hasController, podTemplateOf } from './workloadHelpers.js';

export const TEMPLATE_RESOURCES: readonly ResourceKey[] = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'pods',
];

export interface EditableTemplate {
  kind: string;
  namespace: string | undefined;
  name: string;
  template: PodTemplate;
  containers: Container[];
  /** Field path of the containers in this kind, for evidence. */
  containersPath: string;
  /** Long-running (not a Job/CronJob): probes apply. */
  longRunning: boolean;
}

// The engine hands each object to every analyzer in turn, and a dozen of them ask for its template: the answer is
// kept (analyzers only read it) until the engine moves on to the next object (forgetEditableTemplate), so an
// object's template is looked up once, not once per analyzer.
let lastObject: KubeObject | undefined;
let lastResource: ResourceKey | undefined;
let lastTemplate: EditableTemplate | undefined;
let lastRef = '';

export function editableTemplate(resource: ResourceKey, obj: KubeObject): EditableTemplate | undefined {
  if (obj !== lastObject || resource !== lastResource) {
    lastObject = obj;
    lastResource = resource;
    lastTemplate = templateOf(resource, obj);
    lastRef = lastTemplate ? templateRefOf(lastTemplate) : '';
  }
  return lastTemplate;
}

/** Called by the engine once every analyzer has seen an object: the object may change after that (tests). */
export function forgetEditableTemplate(): void {
  lastObject = undefined;
  lastTemplate = undefined;
}

function templateOf(resource: ResourceKey, obj: KubeObject): EditableTemplate | undefined {
  const kind = KUBE_RESOURCES[resource].kind;
  if ((resource === 'replicasets' || resource === 'jobs' || resource === 'pods') && hasController(obj))
    return undefined;
  const template = podTemplateOf(kind, obj);
  if (!template?.spec) return undefined;
  const containersPath =
    kind === 'Pod'
      ? 'spec.containers'
      : kind === 'CronJob'
        ? 'spec.jobTemplate.spec.template.spec.containers'
        : 'spec.template.spec.containers';
  return {
    kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name ?? '(unnamed)',
    template,
    containers: template.spec.containers ?? [],
    containersPath,
    longRunning: kind !== 'Job' && kind !== 'CronJob',
  };
}

export function containerField(t: EditableTemplate, container: string, field: string): string {
  const ns = t.namespace ? ` -n ${t.namespace}` : '';
  return `kubectl${ns} get ${t.kind.toLowerCase()} ${t.name} -o jsonpath='{.${t.containersPath}[?(@.name=="${container}")].${field}}'`;
}

/** A finding about one template; templateAnalyzer names the template's object in it. */
export type TemplateFinding = Omit<FindingDraft, 'kind' | 'namespace' | 'name'>;

/** "Deployment shop/api": how a message names the object a person edits. */
export function templateRefOf(t: Pick<EditableTemplate, 'kind' | 'namespace' | 'name'>): string {
  return `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
}

/**
 * A best-practice analyzer that judges each editable pod template on its own: `inspect` gets the template, a `report`
 * that names the template's object, and the template's reference for messages.
 */
export function templateAnalyzer(
  name: string,
  inspect: (t: EditableTemplate, report: (f: TemplateFinding) => void, ref: string) => void,
): Analyzer {
  return {
    name,
    resources: TEMPLATE_RESOURCES,
    bestPractice: true,
    start(ctx) {
      return {
        consume(resource, obj) {
          const t = editableTemplate(resource, obj);
          if (!t) return;
          inspect(
            t,
            // One spread, no rest pattern: a rest copy is a slow generic path, and this runs for every finding.
            (f) => ctx.report({ ...f, kind: t.kind, namespace: t.namespace, name: t.name }),
            t === lastTemplate ? lastRef : templateRefOf(t),
          );
        },
      };
    },
  };
}
