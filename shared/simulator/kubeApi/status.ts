// `Status` bodies exactly as kube-apiserver writes them for failed requests, so clients that branch on
// `reason`/`code` (client-node's ApiException, kubectl's error printer, our own retry logic) see the real thing.

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason: string; message: string; field?: string }>;
  };
  code: number;
}

export function kubeStatus(
  code: number,
  reason: string,
  message: string,
  details?: KubeStatus['details'],
  metadata: KubeStatus['metadata'] = {},
): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const unauthorizedStatus = (): KubeStatus => kubeStatus(401, 'Unauthorized', 'Unauthorized');

export function forbiddenStatus(
  user: string,
  verb: string,
  resource: { group: string; plural: string },
  namespace?: string,
  name?: string,
): KubeStatus {
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  const subject = name ? `${qualified} "${name}"` : qualified;
  return kubeStatus(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`,
    { ...(name ? { name } : {}), ...(resource.group ? { group: resource.group } : {}), kind: resource.plural },
  );
}

export function notFoundStatus(resource: { group: string; plural: string }, name: string): KubeStatus {
  const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  return kubeStatus(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(resource.group ? { group: resource.group } : {}),
    kind: resource.plural,
  });
}

export const pathNotFoundStatus = (): KubeStatus =>
  kubeStatus(404, 'NotFound', 'the server could not find the requested resource', {});

export const badRequestStatus = (message: string): KubeStatus => kubeStatus(400, 'BadRequest', message);

export const methodNotAllowedStatus = (): KubeStatus =>
  kubeStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

/** etcd compacted the revision a continue token points into: the client must restart its list. */
export function expiredStatus(inconsistentContinue?: string): KubeStatus {
  return kubeStatus(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
      'without the continue parameter, or use the continue token in this response to retrieve the remainder of the ' +
      'results. Continuing with the provided token results in an inconsistent list - objects that were created, ' +
      'modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    undefined,
    inconsistentContinue ? { continue: inconsistentContinue } : {},
  );
}
