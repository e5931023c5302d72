// The local ARM's routes outside Microsoft.ContainerService: Microsoft.Web WebApps_Get / WebApps_ListHostKeys (what
// `wire-alerts` reads) and Microsoft.Insights ActionGroups_Get / ActionGroups_CreateOrUpdate (2023-01-01).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './standinHttp.js';
import { armError, type LocalSubscription, type LocalWebApp } from './armShared.js';

export interface OtherProviderContext {
  route: (pattern: string, verb?: string) => boolean;
  segments: string[];
  method: string;
  findSubscription: (subscriptionId: string) => LocalSubscription;
  options: { webApps: () => LocalWebApp[]; actionGroups: Map<string, Record<string, unknown>> };
}

/** Serves the request when it is one of these routes; false when it is not. */
export async function serveOtherProviders(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: OtherProviderContext,
): Promise<boolean> {
  const { route, segments, method, findSubscription, options } = ctx;
  const sub = segments[1] ?? '';
  const rg = segments[3] ?? '';
  const name = segments[7] ?? '';
  const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  // Microsoft.Web WebApps_Get and WebApps_ListHostKeys (what `wire-alerts` reads), for apps the test declares.
  if (
    route('subscriptions/*/resourcegroups/*/providers/microsoft.web/sites/*') ||
    route('subscriptions/*/resourcegroups/*/providers/microsoft.web/sites/*/host/default/listkeys', 'POST')
  ) {
    const id = `/${segments.slice(0, 8).join('/')}`;
    const app = options.webApps().find((a) => eq(a.id, id));
    if (!app) {
      throw armError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.Web/sites/${name}' under resource group '${rg}' was not found.`,
      );
    }
    if (method === 'GET') {
      sendJson(res, 200, {
        id: app.id,
        name: app.id.split('/').pop(),
        type: 'Microsoft.Web/sites',
        kind: 'functionapp,linux',
        properties: { defaultHostName: app.defaultHostName, state: 'Running' },
      });
      return true;
    }
    // Until the host runs and reaches its storage, App Service answers 400 with the host runtime's error.
    if (!app.functionKeys) {
      throw armError(400, 'BadRequest', 'Encountered an error (ServiceUnavailable) from host runtime.');
    }
    sendJson(res, 200, { masterKey: 'local-master-key', functionKeys: app.functionKeys, systemKeys: {} });
    return true;
  }
  // Microsoft.Insights ActionGroups_Get / ActionGroups_CreateOrUpdate (2023-01-01).
  if (
    route('subscriptions/*/resourcegroups/*/providers/microsoft.insights/actiongroups/*') ||
    route('subscriptions/*/resourcegroups/*/providers/microsoft.insights/actiongroups/*', 'PUT')
  ) {
    findSubscription(sub);
    const id = `/${segments.slice(0, 8).join('/')}`;
    if (method === 'GET') {
      const group = options.actionGroups.get(id.toLowerCase());
      if (!group)
        throw armError(
          404,
          'ResourceNotFound',
          `The Resource 'microsoft.insights/actiongroups/${name}' under resource group '${rg}' was not found.`,
        );
      sendJson(res, 200, group);
      return true;
    }
    const raw = await readBody(req, {
      maxBytes: 4 * 1024 * 1024,
      tooLarge: () => armError(413, 'RequestEntityTooLarge', 'The request content is too large.'),
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    const body = (parsed ?? {}) as { location?: unknown; tags?: unknown; properties?: Record<string, unknown> };
    if (typeof body.location !== 'string')
      throw armError(400, 'LocationRequired', 'The location property is required for this definition.');
    const props = body.properties ?? {};
    if (typeof props.groupShortName !== 'string' || props.groupShortName.length > 12) {
      throw armError(400, 'InvalidRequestContent', 'groupShortName is required and at most 12 characters.');
    }
    for (const r of (props.webhookReceivers as Array<Record<string, unknown>> | undefined) ?? []) {
      if (typeof r.name !== 'string' || typeof r.serviceUri !== 'string' || !/^https:\/\//.test(r.serviceUri)) {
        throw armError(400, 'InvalidRequestContent', 'Each webhook receiver needs a name and an https serviceUri.');
      }
    }
    const stored = {
      id,
      name,
      type: 'Microsoft.Insights/ActionGroups',
      location: body.location,
      tags: body.tags ?? {},
      properties: props,
    };
    options.actionGroups.set(id.toLowerCase(), stored);
    sendJson(res, 200, stored);
    return true;
  }
  return false;
}
