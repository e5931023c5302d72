// Scaling schedule bodies (docs/scaling.md) for the tests that store, plan or apply one.

/** A body that wants `during` on weekdays 08:00–18:00 Berlin time and `otherwise` outside those hours; a schedule
 * without `nodePool` is about the cluster's power state. */
export function berlinBusinessHours(schedule: {
  clusterId: string;
  nodePool?: string;
  during: Record<string, unknown>;
  otherwise: Record<string, unknown>;
  mode: 'plan' | 'apply';
}) {
  const { during, ...rest } = schedule;
  return {
    ...rest,
    timeZone: 'Europe/Berlin',
    rules: [{ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '08:00', to: '18:00', ...during }],
  };
}
