// image_pull_error: the kubelet cannot pull a container image. The registry's message tells which of the usual
// causes it is; "pull access denied ... may require authorization" is what registries answer for a repository that
// does not exist as well as for one that needs credentials, so both are named.
import type { EvidenceItem } from '../types.js';
import { classifyImagePullError, PULL_WAITING_REASONS, type ImagePullClass } from '../../kube/vocabulary/imagePull.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import { containersOf, containerStatusEvidence, findEvents, podEventEvidence, waitingReason } from './podFacts.js';

const PULL_REASONS = PULL_WAITING_REASONS;

const ADVICE: Record<ImagePullClass, (image: string) => string> = {
  not_found: (i) =>
    `Image ${i} (or its tag) does not exist in the registry: correct the image name/tag in the workload, or push the image.`,
  unauthorized: (i) =>
    `The registry refused to serve ${i}: if the repository exists, give the cluster pull access (for ACR: \`az aks update --attach-acr <registry>\` or an imagePullSecret); if it does not (a typo answers the same way), correct the image name.`,
  network: (i) =>
    `Nodes cannot reach the registry for ${i}: check egress rules (NSG, firewall, UDR), DNS resolution and private endpoints from the node pool subnet.`,
  rate_limited: (i) =>
    `The registry is rate-limiting pulls of ${i}: authenticate pulls or mirror the image into Azure Container Registry.`,
  invalid_name: (i) => `"${i}" is not a valid image reference: fix the image field.`,
  platform_mismatch: (i) =>
    `${i} has no image for the node's OS/architecture (e.g. linux/amd64): build and push a multi-arch image, or schedule onto matching nodes.`,
  never_pull: (i) =>
    `imagePullPolicy Never but ${i} is not on the node: change the policy to IfNotPresent or pre-load the image.`,
  unknown: (i) =>
    `Pulling ${i} fails: read the kubelet's message in the pod events and try \`docker pull ${i}\` / \`az acr check-health\` from a node's network.`,
};

export const imagePullErrorRule: DiagnosisRule = podRule(
  'image_pull_error',
  (pod, ctx, events): RuleMatch | undefined => {
    const pullEvents = [
      ...findEvents(
        events,
        'Failed',
        /Failed to pull image|ErrImagePull|ImagePullBackOff|InvalidImageName|Error: image/i,
      ),
      ...findEvents(events, 'BackOff', /Back-off pulling image/i),
      // kubelet <= 1.5: `Error syncing pod, skipping: failed to "StartContainer" for "x" with ErrImagePull: "..."`.
      ...findEvents(events, 'FailedSync', /with (ErrImagePull|ImagePullBackOff):/),
      ...findEvents(events, 'InspectFailed'),
      ...findEvents(events, 'ErrImageNeverPull'),
    ];
    let best: RuleMatch | undefined;
    for (const c of containersOf(pod)) {
      const reason = waitingReason(c);
      const image = c.spec?.image ?? c.status?.image ?? '';
      const mine = pullEvents.filter((e) => image !== '' && e.message.includes(image));
      const relevant = mine.length > 0 ? mine : pullEvents;
      if (!(reason && PULL_REASONS.has(reason)) && relevant.length === 0) continue;
      const confidence = reason && PULL_REASONS.has(reason) ? (relevant.length > 0 ? 0.96 : 0.9) : 0.75;
      const waitingMessage = c.status?.state?.waiting?.message ?? '';
      const detailMessage =
        relevant.find((e) => e.reason === 'Failed' && /Failed to pull/i.test(e.message))?.message ??
        waitingMessage ??
        '';
      const cls = classifyImagePullError(detailMessage || relevant.map((e) => e.message).join('\n'), reason);
      const evidence: EvidenceItem[] = [];
      if (reason) {
        evidence.push(
          containerStatusEvidence(pod, c, [
            ['state.waiting.reason', reason],
            ['message', waitingMessage],
            ['image', c.spec?.image ?? c.status?.image],
          ]),
        );
      }
      for (const e of relevant.slice(0, 3)) evidence.push(podEventEvidence(pod, e));
      const match: RuleMatch = {
        rootCause: 'image_pull_error',
        confidence,
        detail: cls,
        summary: `${c.init ? 'Init container' : 'Container'} ${c.name} of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} cannot pull image ${image}${reason ? ` (${reason})` : ''}: ${cls.replace('_', ' ')}`,
        evidence,
        recommendations: [ADVICE[cls](image)],
        failingNow: true,
      };
      if (!best || match.confidence > best.confidence) best = match;
    }
    return best;
  },
);

export { classifyImagePullError, type ImagePullClass } from '../../kube/vocabulary/imagePull.js';
