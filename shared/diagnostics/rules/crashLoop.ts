// crash_loop: the application process keeps exiting and the kubelet keeps restarting it (CrashLoopBackOff), in an
// app or init container. Hard cases: the last exit was 0 (the process is not long-running, or exits when a setting is
// missing), an init container that fails (pod Pending/PodInitializing, no CrashLoopBackOff string anywhere), and a
// container that cannot even start (StartError 128, `exec: "x": executable file not found`).
import type { EvidenceItem } from '../types.js';
import { isRuntimeRestart, startFailure } from '../../kube/vocabulary/containerStates.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import {
  containerLabel,
  containersOf,
  containerStatusEvidence,
  ERROR_LINE,
  findEvents,
  isReadyNow,
  killedByOom,
  kubectl,
  logsFor,
  msBeforeReference,
  podEventEvidence,
  restartPolicy,
  waitingReason,
} from './podFacts.js';

/** A crash this close to the reference time explains the alert even if the container is Ready again. */
const RECENT_MS = 60 * 60 * 1000;

export const crashLoopRule: DiagnosisRule = podRule('crash_loop', (pod, ctx, events): RuleMatch | undefined => {
  // A pod that is never restarted (Jobs) fails once; that is job_failed, not a loop.
  if (restartPolicy(pod) === 'Never') return undefined;
  let best: RuleMatch | undefined;

  const views = containersOf(pod);
  if (views.length === 0) {
    // Events alone (a `kubectl get events` paste): the BackOff message names the container.
    for (const e of findEvents(events, 'BackOff', /restarting failed container/)) {
      const name = /restarting failed container (\S+)/.exec(e.message)?.[1];
      if (name && !views.some((v) => v.name === name)) views.push({ name, init: false });
    }
  }
  for (const c of views) {
    const waiting = waitingReason(c);
    const current = c.status?.state?.terminated;
    const last = c.status?.lastState?.terminated;
    const esc = c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const backOff = [
      ...findEvents(events, 'BackOff', new RegExp(`restarting failed container ${esc}\\b`)),
      // kubelet <= 1.5 reported the back-off as FailedSync: `... with CrashLoopBackOff: "Back-off 5m0s restarting
      // failed container=web pod=..."`.
      ...findEvents(events, 'FailedSync', new RegExp(`CrashLoopBackOff.*restarting failed container=${esc}\\b`)),
    ];
    const exited = current ?? last;
    let confidence = 0;
    const cannotStart = startFailure(exited);
    if (isRuntimeRestart(last) && isReadyNow(c) && !current) {
      // Restarted by a node or sandbox restart (lastState Unknown/255), running and Ready now: not the app.
      continue;
    }
    if (waiting === 'CrashLoopBackOff') confidence = 0.9;
    else if (cannotStart && (c.init || (c.status?.restartCount ?? 0) > 0) && c.status?.ready !== true)
      // The process cannot even start (exec not found, bad entrypoint): every restart fails the same way.
      confidence = 0.9;
    else if (backOff.length > 0) confidence = 0.85;
    else if (c.init && current && current.exitCode !== 0) confidence = 0.85;
    else if (last && last.exitCode !== 0 && (c.status?.restartCount ?? 0) > 0 && c.status?.ready !== true)
      confidence = 0.75;
    else if (current && current.exitCode !== 0 && c.status?.ready !== true) confidence = 0.6;
    else if (last && last.exitCode !== 0 && c.status?.ready === true) {
      // Crashed shortly before the alert (or the look) and Ready again: the alert was right, it has recovered.
      const age = msBeforeReference(ctx, last);
      if (age !== undefined && age < RECENT_MS) confidence = 0.72;
    }
    if (confidence === 0) continue;
    // The back-off's cause is the last termination: an OOM kill makes this an oom_killed, whatever the waiting says.
    if (killedByOom(exited)) confidence = Math.min(confidence, 0.5);

    const evidence: EvidenceItem[] = [];
    evidence.push(
      containerStatusEvidence(pod, c, [
        ['state.waiting.reason', waiting],
        [current ? 'state.terminated.reason' : 'lastState.terminated.reason', exited?.reason],
        ['exitCode', exited?.exitCode],
        ['message', exited?.message],
        ['restartCount', c.status?.restartCount],
      ]),
    );
    for (const e of [...backOff.slice(0, 1), ...findEvents(events, 'Failed', /Error:/).slice(0, 1)]) {
      evidence.push(podEventEvidence(pod, e));
    }
    const logs = logsFor(ctx.snapshot, pod, c.name);
    const errorLines = logs.flatMap((l) =>
      l.lines.filter((line) => ERROR_LINE.test(line)).map((line) => ({ l, line })),
    );
    for (const { l, line } of errorLines.slice(-3)) {
      evidence.push({
        source: l.previous ? 'logs.previous' : 'logs',
        detail: `${containerLabel(pod, c)} log: "${line}"`,
        reproduce: l.previous
          ? kubectl.previousLogs(pod, c.name, ctx.logTailLines)
          : kubectl.logs(pod, c.name, ctx.logTailLines),
      });
    }
    for (const h of ctx.snapshot.history.filter((x) => x.kind === 'restarts' || x.kind === 'errorLogs').slice(0, 3)) {
      evidence.push({ source: 'log-analytics', detail: h.detail, reproduce: h.reproduce });
    }
    if (errorLines.length > 0) confidence = Math.min(0.95, confidence + 0.04);

    const recs: string[] = [];
    const message = exited?.message ?? '';
    const notFound =
      /exec: "([^"]+)": executable file not found/.exec(message) ??
      /exec: "([^"]+)": executable file not found/.exec(
        backOff
          .concat(findEvents(events, 'Failed'))
          .map((e) => e.message)
          .join('\n'),
      );
    if (notFound) {
      recs.push(
        `The command "${notFound[1]}" does not exist in image ${c.spec?.image ?? c.status?.image ?? ''}: fix the command/args of ${c.init ? 'init container' : 'container'} ${c.name} (typo, or a tool missing from the image).`,
      );
    } else if (exited?.exitCode === 0) {
      recs.push(
        `Container ${c.name} exits with code 0 but restartPolicy ${restartPolicy(pod)} restarts it: make the entrypoint long-running, or run it as a Job; read why it stops early with \`${kubectl.previousLogs(pod, c.name, ctx.logTailLines)}\` (often a missing setting or environment variable).`,
      );
    } else {
      recs.push(
        `Read the last lines the crashed process wrote: \`${kubectl.previousLogs(pod, c.name, ctx.logTailLines)}\`; exit code ${exited?.exitCode ?? 'unknown'} comes from the application, so fix the error it reports (configuration, dependencies, certificates) and redeploy.`,
      );
    }
    if (c.init)
      recs.push(
        `Init container ${c.name} must succeed before the app containers start: the pod stays ${pod.status?.phase ?? 'Pending'} until it does.`,
      );

    const exitText = exited ? `last exit ${exited.reason ?? 'terminated'} with code ${exited.exitCode}` : 'restarting';
    const match: RuleMatch = {
      rootCause: 'crash_loop',
      confidence,
      summary: `${c.init ? 'Init container' : 'Container'} ${c.name} of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} keeps crashing (${exitText}, ${c.status?.restartCount ?? 0} restarts)${waiting ? `; now ${waiting}` : ''}`,
      evidence,
      recommendations: recs,
      failingNow: c.status?.ready !== true,
    };
    if (!best || match.confidence > best.confidence) best = match;
  }
  return best;
});
