// `aks-aiops sweep`: the same analyzers as the Function app, against a live cluster through a kubeconfig or against
// offline dumps (kubectl get -o yaml|json, Lists, multi-document YAML; a file or a folder).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getConfig } from '../../shared/config/config.js';
import { ValidationError } from '../../shared/errors.js';
import { kubeConfigFromFile } from '../../shared/kube/clusterKubeConfig.js';
import { createKubeObjectSource } from '../../shared/kube/kubeObjectSource.js';
import { analyzeObjects } from '../../shared/sweep/analyzeObjects.js';
import { ANALYZERS } from '../../shared/sweep/analyzers/index.js';
import { createDumpObjectSource, loadDumps, type SourceLocation } from '../../shared/sweep/dumpObjectSource.js';
import { parseSweepPolicy, type SweepPolicy } from '../../shared/sweep/policy.js';
import { toJUnit, toSarif } from '../../shared/sweep/reportFormats.js';
import type { ObjectSource } from '../../shared/kube/objectSource.js';
import { gradeOf } from '../../shared/sweep/score.js';
import { summarizeFindings } from '../../shared/sweep/summarize.js';
import type { Finding, Severity } from '../../shared/sweep/types.js';
import { renderSweepHtml } from '../../shared/report/htmlReport.js';
import type { CliIo } from './types.js';
import { defineCommand, type ParsedCommandArgs } from './args.js';

const USAGE = `Usage: aks-aiops sweep [--kubeconfig PATH] [--context NAME] [--namespace NS] [--file PATH]
                        [--output table|json|html|sarif|junit] [--fail-on critical|warning|info|none]
                        [--config PATH] [--kubernetes-version X.Y]

Sweeps a live cluster (the kubeconfig's current context, or --context) or offline dumps (--file: a file or a
folder of kubectl get -o yaml/json output, Lists or multi-document YAML) with the Function app's analyzers.

  --kubeconfig PATH   kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
  --context NAME      kubeconfig context (default: current context)
  --namespace NS      only this namespace (cluster-scoped objects such as nodes are skipped)
  --file PATH         offline: dump file or folder instead of a live cluster
  --output FORMAT     table (default), json, html (a single self-contained report file), sarif (SARIF 2.1.0, for pull-request annotations) or junit (JUnit XML)
  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL (default: critical; none never fails)
  --config PATH       check policy: checks on/off, severities, exemptions (default: ./aks-aiops.yaml if present,
                      else the SWEEP_POLICY setting)
  --kubernetes-version X.Y
                      the target cluster's version, for deprecated/removed apiVersions in --file manifests
                      (default: every removal known is assumed to have happened)

Exit codes: 0 no finding at or above --fail-on, 1 such findings, 2 error.
Settings: SWEEP_PAGE_SIZE, SWEEP_RESTART_THRESHOLD, SWEEP_EXEMPT_NAMESPACES, SWEEP_TIME_BUDGET_SECONDS, SWEEP_POLICY.`;

const LEVELS: Record<string, number> = { critical: 0, warning: 1, info: 2 };
/** The policy file the CLI reads from the working directory (the repository) when --config is not given. */
export const DEFAULT_POLICY_FILE = 'aks-aiops.yaml';

const OUTPUTS = ['table', 'json', 'html', 'sarif', 'junit'] as const;

interface SweepArgs {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  file?: string;
  output: (typeof OUTPUTS)[number];
  failOn: Severity | 'none';
  config?: string;
  kubernetesVersion?: string;
}

const OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  file: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o', default: 'table' },
  'fail-on': { type: 'string', default: 'critical' },
  config: { type: 'string', short: 'c' },
  'kubernetes-version': { type: 'string' },
} as const;

function parseSweepArgs({ values }: ParsedCommandArgs<typeof OPTIONS>): SweepArgs {
  const output = values.output as SweepArgs['output'];
  if (!OUTPUTS.includes(output))
    throw new ValidationError(`--output must be table, json, html, sarif or junit, got '${values.output}'`);
  const kubernetesVersion = values['kubernetes-version'];
  if (kubernetesVersion !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(kubernetesVersion))
    throw new ValidationError(`--kubernetes-version must look like 1.30 or 1.30.4, got '${kubernetesVersion}'`);
  const failOn = values['fail-on'];
  if (!['critical', 'warning', 'info', 'none'].includes(failOn))
    throw new ValidationError(`--fail-on must be critical, warning, info or none, got '${failOn}'`);
  if (values.file && (values.kubeconfig || values.context))
    throw new ValidationError('--file sweeps dumps offline; it cannot be combined with --kubeconfig or --context');
  return {
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace: values.namespace,
    file: values.file,
    output,
    failOn: failOn as SweepArgs['failOn'],
    config: values.config,
    kubernetesVersion,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function renderTable(findings: Finding[], header: string): string {
  const rows = findings.map((f) => [
    f.severity,
    f.check,
    `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`,
    f.message,
  ]);
  const w = [8, 4, 6].map((min, i) => Math.max(min, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = [header, ''];
  if (rows.length === 0) return `${lines.join('\n')}No findings.\n`;
  lines.push(['SEVERITY', 'CHECK', 'OBJECT'].map((h, i) => pad(h, w[i] ?? 0)).join('  ') + '  MESSAGE');
  for (const r of rows)
    lines.push(
      r
        .slice(0, 3)
        .map((c, i) => pad(c, w[i] ?? 0))
        .join('  ') + `  ${r[3] ?? ''}`,
    );
  return `${lines.join('\n')}\n`;
}

/** --config, else ./aks-aiops.yaml when present, else the SWEEP_POLICY setting, else the catalogue's defaults. */
async function loadPolicy(a: SweepArgs, inline: string | undefined): Promise<SweepPolicy | undefined> {
  const file = a.config ?? DEFAULT_POLICY_FILE;
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (a.config) throw new ValidationError(`--config ${a.config}: cannot read it (${(err as Error).message})`);
  }
  if (text !== undefined) return parseSweepPolicy(text, file);
  return inline ? parseSweepPolicy(inline, 'SWEEP_POLICY') : undefined;
}

async function run(parsed: ParsedCommandArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  const a = parseSweepArgs(parsed);
  const config = getConfig();
  const policy = await loadPolicy(a, config.SWEEP_POLICY);
  let source: ObjectSource;
  let clusterId: string;
  let locations = new Map<string, SourceLocation>();
  if (a.file) {
    const dumps = await loadDumps(a.file);
    locations = dumps.locations;
    if (io.interactive)
      io.stderr.write(`read ${dumps.files.length} file(s); ${dumps.ignored} object(s) of kinds no analyzer reads\n`);
    source = createDumpObjectSource(dumps.byResource);
    clusterId = `file:${path.resolve(a.file)}`;
  } else {
    const kc = kubeConfigFromFile(a.kubeconfig, a.context);
    source = createKubeObjectSource(kc, { limit: config.SWEEP_PAGE_SIZE });
    clusterId = `kubeconfig:${kc.getCurrentContext()}`;
  }
  const now = new Date();
  const result = await analyzeObjects(source, {
    clusterId,
    analyzers: ANALYZERS,
    namespace: a.namespace,
    settings: {
      restartThreshold: config.SWEEP_RESTART_THRESHOLD,
      readyRatioThreshold: 0.8,
      exemptNamespaces: new Set(config.SWEEP_EXEMPT_NAMESPACES),
      now,
      kubernetesVersion: a.kubernetesVersion,
    },
    policy,
    abortSignal: AbortSignal.timeout(config.SWEEP_TIME_BUDGET_SECONDS * 1000),
    onPage: io.interactive ? (resource, n) => io.stderr.write(`listed ${n} ${resource}\n`) : undefined,
  });
  if (result.partial && result.objectsScanned === 0) {
    throw new Error(`nothing could be listed:\n  ${result.errors.join('\n  ')}`);
  }
  const s = summarizeFindings(result.findings, result.objectsByNamespace, { new: 0, resolved: 0 });
  const threshold = a.failOn === 'none' ? -1 : (LEVELS[a.failOn] ?? 0);
  const fails = (f: Finding) => (LEVELS[f.severity] ?? 9) <= threshold;
  if (a.output === 'html') {
    io.stdout.write(
      renderSweepHtml({
        clusterId,
        sweptAt: now.toISOString(),
        score: s.score,
        grade: gradeOf(s.score),
        namespaceScores: s.namespaceScores,
        counts: s.counts,
        objectsScanned: result.objectsScanned,
        partial: result.partial,
        errors: result.errors,
        findings: result.findings,
      }),
    );
  } else if (a.output === 'sarif') {
    io.stdout.write(`${JSON.stringify(toSarif(result.findings, locations, process.cwd()), null, 2)}\n`);
  } else if (a.output === 'junit') {
    io.stdout.write(toJUnit(result.findings, locations, process.cwd(), fails));
  } else if (a.output === 'json') {
    io.stdout.write(
      `${JSON.stringify({ clusterId, sweptAt: now.toISOString(), score: s.score, grade: gradeOf(s.score), namespaceScores: s.namespaceScores, counts: { critical: s.counts.critical, warning: s.counts.warning, info: s.counts.info }, objectsScanned: result.objectsScanned, partial: result.partial, errors: result.errors, findings: result.findings }, null, 2)}\n`,
    );
  } else {
    const header = `Score ${s.score} (${gradeOf(s.score)}) · ${result.objectsScanned} objects · ${result.findings.length} findings (${s.counts.critical} critical, ${s.counts.warning} warning, ${s.counts.info} info)${result.partial ? ' · PARTIAL' : ''}`;
    io.stdout.write(renderTable(result.findings, header));
  }
  for (const e of result.errors) io.stderr.write(`warning: ${e}\n`);
  return result.findings.some(fails) ? 1 : 0;
}

export const sweepCommand = defineCommand({
  name: 'sweep',
  summary: 'Sweep a cluster (kubeconfig) or kubectl dumps for failures and best-practice findings',
  usage: USAGE,
  options: OPTIONS,
  run,
});
