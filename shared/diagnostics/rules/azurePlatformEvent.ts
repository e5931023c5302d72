// azure_platform_event: service health, resource health and activity-log alerts report something Azure did or saw
// (maintenance, an outage, a restart by a user) - no Kubernetes object to inspect, the alert is the evidence.
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';

export const azurePlatformEventRule: DiagnosisRule = {
  rootCause: 'azure_platform_event',
  subjects: ['alert'],
  evaluate(ctx): RuleMatch | undefined {
    const a = ctx.alert;
    if (!a || !['service_health', 'resource_health', 'activity_log'].includes(a.signal)) return undefined;
    const fact = (name: string) => a.facts.find((f) => f.name === name)?.value;
    const title = fact('title') ?? fact('operationName') ?? a.rule;
    return {
      rootCause: 'azure_platform_event',
      confidence: 0.8,
      summary: `${a.monitoringService ?? a.signal}: ${title}${fact('currentHealthStatus') ? ` (resource ${fact('currentHealthStatus')})` : ''}`,
      evidence: a.facts.slice(0, 6).map((f) => ({
        source: 'alert',
        detail: `alert ${a.rule}: ${f.name}=${f.value}`,
        reproduce: `az monitor activity-log list --correlation-id <from the alert> # or open ${a.alertId} in the portal`,
      })),
      recommendations: [
        a.signal === 'service_health'
          ? 'Follow the Service Health communication for the impacted region/service; plan around the maintenance window or fail over if the impact affects the cluster.'
          : a.signal === 'resource_health'
            ? 'Check the resource health history of the target resource; if it is an AKS node VM or the cluster, compare with node readiness (`kubectl get nodes`).'
            : 'Review who or what performed the operation (caller in the activity log) and whether it was planned.',
      ],
      failingNow: a.condition === 'Fired',
    };
  },
};
