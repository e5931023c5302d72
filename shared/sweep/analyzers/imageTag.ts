// Images referenced by the mutable `latest` tag (or no tag at all, which means latest): which code runs depends on
// when each node pulled it, and rollbacks are impossible. Digests are always fine.
import type { Analyzer } from '../analyzer.js';
import { containerField, templateAnalyzer } from './bestPracticeHelpers.js';

/** The tag of an image reference, '' when none; digests return '@digest'. */
export function imageTagOf(image: string): string {
  if (image.includes('@')) return '@digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon === -1 ? '' : image.slice(colon + 1);
}

export const imageTagAnalyzer: Analyzer = templateAnalyzer('imageTag', (t, report, ref) => {
  const all = [...(t.template.spec?.initContainers ?? []), ...t.containers];
  const floating = all.filter((c) => c.image !== undefined && ['', 'latest'].includes(imageTagOf(c.image)));
  if (floating.length === 0) return;
  report({
    check: 'bestpractice.latest-tag',
    severity: 'warning',
    message: `${ref} uses floating image tags (image without a version, or :latest): ${floating.map((c) => `${c.name}=${c.image ?? ''}`).join(', ')}.`,
    evidence: floating.map((c) => `${containerField(t, c.name, 'image')} → ${c.image ?? ''}`),
    remediation:
      'Pin each image to a version tag or, better, a digest (image@sha256:…), and roll out new versions explicitly.',
    docsUrl: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
  });
});
