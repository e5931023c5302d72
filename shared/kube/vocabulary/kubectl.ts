// kubectl command builders: the commands evidence cites so a reader can see the same fact. Names are quoted only
// when the shell would need it (a `<pod>` placeholder from a fragment stays readable).
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9._\-/:=]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

const nsFlag = (namespace: string | undefined) => (namespace ? ` -n ${shellQuote(namespace)}` : '');

export const kubectlCommands = {
  describe: (kind: string, name: string, namespace?: string) =>
    `kubectl describe ${kind.toLowerCase()} ${shellQuote(name)}${nsFlag(namespace)}`,
  get: (kind: string, name: string, namespace?: string) =>
    `kubectl get ${kind.toLowerCase()} ${shellQuote(name)}${nsFlag(namespace)}`,
  jsonpath: (kind: string, name: string, namespace: string | undefined, path: string) =>
    `kubectl get ${kind.toLowerCase()} ${shellQuote(name)}${nsFlag(namespace)} -o jsonpath='{${path}}'`,
  events: (kind: string, name: string, namespace?: string) =>
    `kubectl get events${nsFlag(namespace)} --field-selector involvedObject.kind=${kind},involvedObject.name=${shellQuote(name)}`,
  logs: (pod: string, namespace: string | undefined, container: string, tail: number, previous = false) =>
    `kubectl logs ${shellQuote(pod)}${nsFlag(namespace)} -c ${shellQuote(container)}${previous ? ' --previous' : ''} --tail=${tail}`,
};
