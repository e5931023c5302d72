// `aks-aiops alert FILE`: runs a saved Azure Monitor alert payload through the webhook's validation, normalisation,
// evidence (live through a kubeconfig, or offline from a dump) and rules - the whole path, locally.
import { ValidationError } from '../../shared/errors.js';
import { kubeConfigFromFile } from '../../shared/kube/clusterKubeConfig.js';
import { parseCommonAlert } from '../../shared/diagnostics/alertSchema.js';
import { normalizeAlert } from '../../shared/diagnostics/normalizeAlert.js';
import { diagnoseSnapshot } from '../../shared/diagnostics/engine.js';
import { diagnoseLive } from '../../shared/diagnostics/diagnoseLive.js';
import { emptySnapshot } from '../../shared/diagnostics/evidence/snapshot.js';
import { parseDump } from '../../shared/diagnostics/parse/parseDump.js';
import { annotatePasteDiagnosis } from '../../shared/diagnostics/diagnosePaste.js';
import { renderDiagnosis } from '../../shared/diagnostics/renderDiagnosis.js';
import type { Diagnosis } from '../../shared/diagnostics/types.js';
import { exitCodeOf, readInput } from './diagnose.js';
import { defineCommand } from './args.js';

const USAGE = `Usage: aks-aiops alert FILE [--kubeconfig PATH [--context NAME] | --dump PATH] [--output table|json]

Runs a saved Azure Monitor alert (common alert schema JSON, as the action group posts it; '-' for stdin) through the
same path as POST /api/alerts and the alerts worker: validate -> normalise (signal, rule, severity, cluster,
namespace, workload, pod, container, node) -> evidence -> rules -> Diagnosis.

  --kubeconfig PATH   gather evidence live through this kubeconfig (the alert's cluster must be its context)
  --context NAME      kubeconfig context
  --dump PATH         gather evidence from an offline dump instead (same formats as \`diagnose --file\`)
  --output FORMAT     table (default) or json (the Diagnosis object, with the normalised alert under "alert")

Without --kubeconfig or --dump only the alert itself is evidence.
Exit codes: 0 healthy / nothing known, 1 a failure was diagnosed, 2 invalid alert or error.`;

export const alertCommand = defineCommand({
  name: 'alert',
  summary: 'Run a saved Azure Monitor alert payload through normalisation, evidence and rules',
  usage: USAGE,
  allowPositionals: true,
  options: {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    dump: { type: 'string' },
    output: { type: 'string', short: 'o', default: 'table' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new ValidationError('give exactly one alert FILE');
    const output = values.output;
    if (output !== 'table' && output !== 'json')
      throw new ValidationError(`--output must be table or json, got '${output}'`);
    if (values.kubeconfig && values.dump) throw new ValidationError('--kubeconfig and --dump cannot be combined');
    const alert = normalizeAlert(parseCommonAlert(await readInput(positionals[0]!), { maxBytes: 1024 * 1024 }));
    const tail = 100;
    let diagnosis: Diagnosis;
    if (values.kubeconfig) {
      const kc = kubeConfigFromFile(values.kubeconfig, values.context);
      diagnosis = await diagnoseLive(
        alert.target,
        { kubeConfigProvider: async () => kc, logTailLines: tail },
        { alert, id: alert.diagnosisId, clusterFromKubeconfig: true, abortSignal: AbortSignal.timeout(120_000) },
      );
    } else if (values.dump) {
      const parsed = parseDump(await readInput(values.dump));
      diagnosis = annotatePasteDiagnosis(
        diagnoseSnapshot(parsed.snapshot, {
          target: alert.target,
          alert: { ...alert, concernsKubernetes: true },
          id: alert.diagnosisId,
          logTailLines: tail,
        }),
        parsed,
      );
    } else {
      diagnosis = diagnoseSnapshot(emptySnapshot('file'), {
        target: {},
        alert: { ...alert, concernsKubernetes: false },
        id: alert.diagnosisId,
        logTailLines: tail,
      });
      diagnosis.target = alert.target;
      if (alert.concernsKubernetes)
        diagnosis.recommendations.push(
          'Pass --kubeconfig (live) or --dump (a kubectl dump) to gather Kubernetes evidence for this alert.',
        );
    }
    if (output === 'json') io.stdout.write(`${JSON.stringify({ ...diagnosis, alert }, null, 2)}\n`);
    else {
      io.stdout.write(
        `Alert        ${alert.rule} (${alert.signal}, ${alert.severity ?? 'no severity'}, ${alert.condition} ${alert.firedAt}) playbook ${alert.playbook}\n`,
      );
      io.stdout.write(renderDiagnosis(diagnosis));
    }
    return exitCodeOf(diagnosis);
  },
});
