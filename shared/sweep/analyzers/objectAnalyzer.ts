// Most failure checks judge each object of one resource on its own: objectAnalyzer is that analyzer, so a check file
// holds only its judgement. It runs once for every listed object (150,000 pods in the sweep benchmark), so it hands
// the object, its namespace and its name straight to `inspect` and allocates nothing per object.
import type { Analyzer, AnalyzerContext } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import type { ResourceKey } from '../../kube/resources.js';

/** Judges one object; `name` is "(unnamed)" when metadata.name is missing, so findings always name something. */
export type InspectObject<T extends KubeObject> = (
  obj: T,
  ns: string | undefined,
  name: string,
  ctx: AnalyzerContext,
) => void;

/** A failure check over the objects of one resource, each judged on its own as it arrives. */
export function objectAnalyzer<T extends KubeObject>(
  name: string,
  resource: ResourceKey,
  inspect: InspectObject<T>,
): Analyzer {
  const resources: readonly ResourceKey[] = [resource];
  return {
    name,
    resources,
    start(ctx) {
      return {
        consume(_resource, obj) {
          inspect(obj as T, obj.metadata?.namespace, obj.metadata?.name ?? '(unnamed)', ctx);
        },
      };
    },
  };
}
