// Wires the diagnostics webhook into its action group after the app is deployed (azd postprovision/postdeploy hooks,
// or by hand after `terraform apply`). The receiver URL carries the app's default function key, which exists only once
// the host runs and reaches its (identity-based) storage, so provisioning cannot read it; see docs/deploy.md.
//
// Contracts (azure-rest-api-specs):
// - Microsoft.Web WebApps_Get (GET .../sites/{name}) -> properties.defaultHostName;
//   WebApps_ListHostKeys (POST .../sites/{name}/host/default/listkeys) -> HostKeys { masterKey, functionKeys, systemKeys }.
//   Until the host is up it answers 4xx/5xx (BadRequest "Encountered an error (ServiceUnavailable) from host runtime.").
// - Microsoft.Insights ActionGroups_Get / ActionGroups_CreateOrUpdate (2023-01-01): PUT replaces the whole resource, so
//   the current one is read and only the receiver named WEBHOOK_RECEIVER_NAME is replaced.
import type { TokenCredential } from '@azure/identity';
import { armScopeFor } from '../azure/arm/armClients.js';
import { ValidationError } from '../errors.js';

export const WEBHOOK_RECEIVER_NAME = 'aks-aiops-alerts';
const WEB_API_VERSION = '2024-04-01';
const ACTION_GROUP_API_VERSION = '2023-01-01';

export interface WireAlertWebhookOptions {
  armEndpoint: string;
  credential: TokenCredential;
  /** /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name} */
  functionAppId: string;
  /** /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Insights/actionGroups/{name} */
  actionGroupId: string;
  /** How long to keep asking for the host keys (a fresh app's host starts minutes after its roles). */
  waitForKeysMs: number;
  /** Pause between attempts; injected so tests do not sleep. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  retryIntervalMs?: number;
  /** Timeout of each ARM request. */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface WireAlertWebhookResult {
  actionGroupId: string;
  /** The receiver URL without its key (the key is a secret: never logged or returned). */
  webhookUrl: string;
  attempts: number;
  changed: boolean;
}

/** ARM answered an error; `status` lets callers tell "not ready yet" from "wrong input". */
export class ArmRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArmRequestError';
  }
}

const RESOURCE_ID = {
  site: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+$/i,
  actionGroup: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/actionGroups\/[^/]+$/i,
};

const defaultDelay = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export async function wireAlertWebhook(options: WireAlertWebhookOptions): Promise<WireAlertWebhookResult> {
  if (!RESOURCE_ID.site.test(options.functionAppId)) {
    throw new ValidationError(`not a function app resource id: '${options.functionAppId}'`);
  }
  if (!RESOURCE_ID.actionGroup.test(options.actionGroupId)) {
    throw new ValidationError(`not an action group resource id: '${options.actionGroupId}'`);
  }
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? Date.now;
  const delay = options.delay ?? defaultDelay;
  const log = options.log ?? (() => undefined);
  const scope = armScopeFor(options.armEndpoint);

  const arm = async <T>(method: 'GET' | 'POST' | 'PUT', id: string, apiVersion: string, body?: unknown): Promise<T> => {
    const token = await options.credential.getToken(scope, { abortSignal: signal });
    if (!token) throw new Error('no ARM token from the credential');
    const url = new URL(`${id}?api-version=${apiVersion}`, options.armEndpoint);
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? (method === 'POST' ? '' : undefined) : JSON.stringify(body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.requestTimeoutMs ?? 30_000)]),
    });
    const text = await res.text();
    if (!res.ok) {
      let code = String(res.status);
      let message = text.slice(0, 300);
      try {
        const err = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
        code = err?.code ?? code;
        message = err?.message ?? message;
      } catch {
        // not JSON: keep the raw start of the body
      }
      throw new ArmRequestError(res.status, code, `${method} ${url.pathname}: ${res.status} ${code}: ${message}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  };

  const site = await arm<{ properties?: { defaultHostName?: string } }>('GET', options.functionAppId, WEB_API_VERSION);
  const host = site.properties?.defaultHostName;
  if (!host) throw new Error(`the function app ${options.functionAppId} has no defaultHostName`);
  const webhookUrl = `https://${host}/api/alerts`;

  // The host keys: retried until the deadline, because a new app's host answers errors until it has started.
  const deadline = now() + options.waitForKeysMs;
  let attempts = 0;
  let key: string | undefined;
  for (;;) {
    attempts++;
    try {
      const keys = await arm<{ functionKeys?: Record<string, string> }>(
        'POST',
        `${options.functionAppId}/host/default/listkeys`,
        WEB_API_VERSION,
      );
      key = keys.functionKeys?.default;
      if (key) break;
      log(`attempt ${attempts}: the host has no default function key yet`);
    } catch (err) {
      // 401/403 will not heal by waiting (no permission to list keys); anything else is the host starting up (the site
      // itself was found above).
      if (err instanceof ArmRequestError && [401, 403].includes(err.status)) throw err;
      if (signal.aborted) throw err;
      log(`attempt ${attempts}: host keys not available yet (${(err as Error).message})`);
    }
    if (now() >= deadline) {
      throw new ArmRequestError(
        503,
        'HostKeysUnavailable',
        `the function host served no keys within ${Math.round(options.waitForKeysMs / 1000)} s (${attempts} attempts); is the app deployed?`,
      );
    }
    await delay(options.retryIntervalMs ?? 15_000, signal);
  }

  type Receiver = { name: string; serviceUri: string; useCommonAlertSchema?: boolean; useAadAuth?: boolean };
  type ActionGroup = { location?: string; tags?: Record<string, string>; properties?: Record<string, unknown> };
  const group = await arm<ActionGroup>('GET', options.actionGroupId, ACTION_GROUP_API_VERSION);
  const props = group.properties ?? {};
  const receivers = (props.webhookReceivers as Receiver[] | undefined) ?? [];
  const serviceUri = `${webhookUrl}?code=${encodeURIComponent(key)}`;
  const current = receivers.find((r) => r.name === WEBHOOK_RECEIVER_NAME);
  if (current && current.serviceUri === serviceUri && current.useCommonAlertSchema === true) {
    return { actionGroupId: options.actionGroupId, webhookUrl, attempts, changed: false };
  }
  const receiver: Receiver = { name: WEBHOOK_RECEIVER_NAME, serviceUri, useCommonAlertSchema: true, useAadAuth: false };
  await arm('PUT', options.actionGroupId, ACTION_GROUP_API_VERSION, {
    location: group.location ?? 'Global',
    ...(group.tags ? { tags: group.tags } : {}),
    properties: {
      ...props,
      webhookReceivers: [...receivers.filter((r) => r.name !== WEBHOOK_RECEIVER_NAME), receiver],
    },
  });
  return { actionGroupId: options.actionGroupId, webhookUrl, attempts, changed: true };
}
