// A queue worker killed between two steps of the alert worker, and the message redelivered as the queue would: the
// ledger must neither lose the alert nor diagnose it twice.
import { expect } from '@jest/globals';
import {
  processAlertMessage,
  type AlertQueueMessage,
  type AlertWorkerDeps,
  type WorkerOutcome,
  type WorkerStep,
} from '../../shared/diagnostics/alertWorker.js';

/** Runs the worker on `msg` and kills it (it throws) right after `killAt`, then redelivers the message as the queue
 * would; returns the redelivery's outcome. */
export async function killAfterStepAndRedeliver(
  msg: AlertQueueMessage,
  workerDeps: () => AlertWorkerDeps,
  killAt: WorkerStep,
): Promise<WorkerOutcome> {
  const killed = processAlertMessage(msg, {
    ...workerDeps(),
    onStep: (s) => {
      if (s === killAt) throw new Error(`killed after ${s}`);
    },
  });
  await expect(killed).rejects.toThrow(`killed after ${killAt}`);
  return processAlertMessage(msg, workerDeps());
}
