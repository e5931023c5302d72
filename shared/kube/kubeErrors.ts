import { RemoteServiceError } from '../errors.js';
import type { KubeResource } from './resources.js';

/**
 * The API server refused the identity (401: not authenticated, 403: not authorised) for one resource. A sweep
 * turns this into a finding naming the missing role and marks itself partial; it does not retry.
 */
export class KubeAccessDeniedError extends RemoteServiceError {
  readonly resource: KubeResource;
  constructor(message: string, options: { statusCode: 401 | 403; resource: KubeResource; cause?: unknown }) {
    super(message, options);
    this.resource = options.resource;
  }
}
