// What the ARM stand-in's request handlers share (armEndpoint.ts and armOtherProviders.ts): the error envelope and
// the subscription and web app shapes, in a module of their own so the handler files do not import each other.
import { StandinHttpError } from './standinHttp.js';

export interface LocalSubscription {
  subscriptionId: string;
  displayName: string;
}

/**
 * A function app as the deployment tooling sees it (shared/deploy/alertWebhook.ts). `functionKeys` undefined: the
 * host has not started (not deployed, or its storage roles not yet effective), and listkeys fails as in Azure.
 */
export interface LocalWebApp {
  id: string;
  defaultHostName: string;
  functionKeys?: Record<string, string>;
}

/** ARM's error envelope: `{ error: { code, message } }` with the status and headers given. */
export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): StandinHttpError {
  return new StandinHttpError(status, { error: { code, message } }, headers);
}
