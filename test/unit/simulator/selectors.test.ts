// Label and field selector grammar, as k8s.io/apimachinery parses it: what must match, what must be rejected.
import { describe, expect, it } from '@jest/globals';
import { parseFieldSelector, parseLabelSelector, SelectorError } from '../../../shared/simulator/kubeApi/selectors.js';

const labels = { app: 'web', tier: 'front', 'app.kubernetes.io/name': 'web', replicas: '3' };

describe('parseLabelSelector', () => {
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app.kubernetes.io/name=web', true],
    ['app in (api,web)', true],
    ['app in (api, web),tier notin (back)', true],
    ['tier notin (front)', false],
    ['missing notin (x)', true], // notin matches objects without the key
    ['missing!=x', true], // and so does !=
    ['app,!missing', true],
    ['!app', false],
    ['replicas>2', true],
    ['replicas<3', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    const match = parseLabelSelector(selector);
    expect(match ? match(labels) : true).toBe(expected);
  });

  it.each(['app in (a b', 'app=web,', 'a b c', 'app=!bad', 'Bad_Prefix!/x=1', 'replicas>abc'])(
    'rejects %s',
    (selector) => {
      expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
    },
  );
});

describe('parseFieldSelector', () => {
  const pod = { metadata: { name: 'a,b', namespace: 'ns' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  const pods = { group: '', plural: 'pods' };

  it('honours escapes, != and several requirements', () => {
    expect(parseFieldSelector('metadata.name=a\\,b', pods)!(pod)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=n1,status.phase!=Pending', pods)!(pod)).toBe(true);
    expect(parseFieldSelector('spec.nodeName==n2', pods)!(pod)).toBe(false);
    // An unset boolean field reads as false, like the API server's field set.
    expect(parseFieldSelector('spec.hostNetwork=false', pods)!(pod)).toBe(true);
  });

  it('supports fields per resource and rejects the others with the API server message', () => {
    expect(() => parseFieldSelector('involvedObject.name=x', pods)).toThrow(
      'field label not supported: involvedObject.name',
    );
    expect(parseFieldSelector('involvedObject.name=x', { group: '', plural: 'events' })).toBeDefined();
    expect(
      parseFieldSelector('source=kubelet', { group: '', plural: 'events' })!({ source: { component: 'kubelet' } }),
    ).toBe(true);
    expect(() => parseFieldSelector('nonsense', pods)).toThrow(SelectorError);
  });
});
