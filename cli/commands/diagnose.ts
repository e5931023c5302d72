// `aks-aiops diagnose`: the diagnosis engine outside Functions - offline from what people paste into tickets (read
// by the tolerant reader, shared/diagnostics/parse/parseDump.ts), or live through a kubeconfig.
import { readFile } from 'node:fs/promises';
import { getConfig } from '../../shared/config/config.js';
import { ValidationError } from '../../shared/errors.js';
import { kubeConfigFromFile } from '../../shared/kube/clusterKubeConfig.js';
import { diagnoseLive } from '../../shared/diagnostics/diagnoseLive.js';
import { diagnosePaste } from '../../shared/diagnostics/diagnosePaste.js';
import { renderDiagnosis } from '../../shared/diagnostics/renderDiagnosis.js';
import type { Diagnosis, DiagnosisTarget } from '../../shared/diagnostics/types.js';
import { renderDiagnosisHtml } from '../../shared/report/htmlReport.js';
import { defineCommand } from './args.js';

const USAGE = `Usage: aks-aiops diagnose --file PATH [--pod NS/NAME | --node NAME] [--output table|json|html]
       aks-aiops diagnose --kubeconfig PATH [--context NAME] (--pod NS/NAME | --node NAME | --namespace NS [--workload NAME])
                          [--no-logs] [--output table|json|html]

Finds the root cause of a failing pod, node or PVC with evidence you can reproduce.

  --file PATH         offline input ('-' for stdin): whatever was pasted into a ticket - JSON or YAML objects,
                      Lists, fragments (a status block, containerStatuses), \`kubectl describe pod|node|pvc\` output
                      or fragments of it, Events tables or single event lines (any kubectl layout), \`kubectl get
                      pods|nodes|pvc|events\` tables, or a mix. Evidence cites the input lines. With several pods,
                      the one named by --pod, else the worst.
  --kubeconfig PATH   live: diagnose through this kubeconfig (current context, or --context)
  --context NAME      kubeconfig context
  --timeout SECONDS   live: give up after this long (default 120); every Kubernetes request is aborted then
  --pod NS/NAME       the pod (NAME alone means namespace default)
  --node NAME         the node
  --namespace NS      live: the worst pod of this namespace (or of --workload in it)
  --workload NAME     live: the worst pod of this Deployment/StatefulSet/DaemonSet/Job
  --no-logs           live: do not read container logs
  --output FORMAT     table (default), json (the Diagnosis object) or html (a self-contained report file)

Exit codes: 0 healthy (or nothing known), 1 a failure was diagnosed, 2 error.
Settings: DIAGNOSIS_LOG_TAIL_LINES (log lines read per container, default 100).`;

export function parseTargetPod(value: string): { namespace: string; pod: string } {
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p)))
    throw new ValidationError(`--pod must be NAMESPACE/NAME or NAME, got '${value}'`);
  return parts.length === 2 ? { namespace: parts[0]!, pod: parts[1]! } : { namespace: 'default', pod: parts[0]! };
}

export async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ValidationError(
      `--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

function logTailLines(): number {
  return getConfig().DIAGNOSIS_LOG_TAIL_LINES;
}

export function exitCodeOf(d: Diagnosis): number {
  return d.rootCause === 'healthy' || d.rootCause === 'unknown' ? 0 : 1;
}

export const diagnoseCommand = defineCommand({
  name: 'diagnose',
  summary: 'Root cause of a failing pod/node/PVC, offline from a file or live through a kubeconfig',
  usage: USAGE,
  options: {
    file: { type: 'string', short: 'f' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    pod: { type: 'string', short: 'p' },
    node: { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    workload: { type: 'string' },
    'no-logs': { type: 'boolean', default: false },
    output: { type: 'string', short: 'o', default: 'table' },
    timeout: { type: 'string', default: '120' },
  },
  async run({ values }, io) {
    const output = values.output;
    if (output !== 'table' && output !== 'json' && output !== 'html')
      throw new ValidationError(`--output must be table, json or html, got '${output}'`);
    if (!values.file && !values.kubeconfig)
      throw new ValidationError('give --file PATH (offline) or --kubeconfig PATH (live)');
    if (values.file && values.kubeconfig) throw new ValidationError('--file and --kubeconfig cannot be combined');
    if (values.pod && values.node) throw new ValidationError('give --pod or --node, not both');
    const target: DiagnosisTarget = {};
    if (values.pod) Object.assign(target, parseTargetPod(values.pod));
    if (values.node) target.node = values.node;

    let diagnosis: Diagnosis;
    if (values.file) {
      if (values.namespace || values.workload || values.context)
        throw new ValidationError('--namespace, --workload and --context apply to live diagnosis (--kubeconfig)');
      diagnosis = diagnosePaste(await readInput(values.file), { target, logTailLines: logTailLines() });
    } else {
      if (!values.pod && !values.node && !values.namespace)
        throw new ValidationError('live diagnosis needs --pod NS/NAME, --node NAME or --namespace NS');
      if (values.namespace) target.namespace ??= values.namespace;
      if (values.workload) target.workload = values.workload;
      const timeoutSeconds = Number(values.timeout);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1)
        throw new ValidationError(`--timeout must be a whole number of seconds, got '${values.timeout}'`);
      const kc = kubeConfigFromFile(values.kubeconfig, values.context);
      diagnosis = await diagnoseLive(
        target,
        { kubeConfigProvider: async () => kc, logTailLines: logTailLines() },
        { includeLogs: !values['no-logs'], abortSignal: AbortSignal.timeout(timeoutSeconds * 1000) },
      );
      diagnosis.target.clusterName ??= kc.getCurrentCluster()?.name;
    }
    io.stdout.write(
      output === 'json'
        ? `${JSON.stringify(diagnosis, null, 2)}\n`
        : output === 'html'
          ? renderDiagnosisHtml(diagnosis)
          : renderDiagnosis(diagnosis),
    );
    return exitCodeOf(diagnosis);
  },
});
