// The image-pull classifier, shared by the sweep (podContainerWaiting) and the diagnostics (imagePullError): which
// of the usual causes a kubelet pull error shows. The kubelet wraps the runtime's error ("Failed to pull image %q:
// rpc error: code = ... desc = ...", pkg/kubelet/images/image_manager.go); the runtime's text comes from the
// registry through containerd/docker distribution errors (distribution/registry/api/errcode, containerd
// remotes/docker): MANIFEST_UNKNOWN "manifest unknown", NAME_UNKNOWN "repository name not known to registry",
// "not found", UNAUTHORIZED "authentication required" / 401 Unauthorized, DENIED "requested access to the
// resource is denied" / 403 Forbidden, docker's "pull access denied for x, repository does not exist or may
// require 'docker login'", TOOMANYREQUESTS "toomanyrequests: You have reached your pull rate limit" / 429,
// "no matching manifest for linux/amd64 in the manifest list entries", and network errors from Go's net and TLS
// stacks ("dial tcp: lookup x: no such host", "i/o timeout", "x509: certificate signed by unknown authority").

export type ImagePullClass =
  | 'not_found'
  | 'unauthorized'
  | 'network'
  | 'rate_limited'
  | 'invalid_name'
  | 'never_pull'
  | 'platform_mismatch'
  | 'unknown';

/** Waiting reasons of containers whose image cannot be pulled (pkg/kubelet/images/types.go). */
export const PULL_WAITING_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'ImageInspectError',
]);

/** Which of the usual causes a registry / kubelet pull error message shows. */
export function classifyImagePullError(message: string, reason?: string): ImagePullClass {
  if (reason === 'InvalidImageName' || /invalid reference format|couldn't parse image/i.test(message))
    return 'invalid_name';
  if (reason === 'ErrImageNeverPull' || /imagePullPolicy is "?Never"?/i.test(message)) return 'never_pull';
  if (/toomanyrequests|rate limit|429 Too Many Requests/i.test(message)) return 'rate_limited';
  if (/no matching manifest for|does not match the specified platform/i.test(message)) return 'platform_mismatch';
  // Docker Hub answers this for a repository that does not exist as well as for one that needs credentials.
  if (/pull access denied|may require authorization|repository does not exist/i.test(message)) return 'unauthorized';
  if (
    /unauthorized|authentication required|\b401\b|\b403\b|Forbidden|denied: |requested access to the resource is denied|no basic auth credentials|failed to authorize|failed to fetch oauth token|insufficient_scope/i.test(
      message,
    )
  )
    return 'unauthorized';
  if (/not found|manifest unknown|name unknown|does not exist|NotFound|\b404\b/i.test(message)) return 'not_found';
  if (
    /i\/o timeout|no such host|connection refused|dial tcp|TLS handshake timeout|context deadline exceeded|network is unreachable|x509|server misbehaving|connection reset/i.test(
      message,
    )
  )
    return 'network';
  return 'unknown';
}
