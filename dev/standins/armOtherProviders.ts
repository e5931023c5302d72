// The local ARM's routes outside Microsoft.ContainerService: Microsoft.Web WebApps_Get / WebApps_ListHostKeys (what
// `wire-alerts` reads) and Microsoft.Insights ActionGroups_Get / ActionGroups_CreateOrUpdate (2023-01-01).
import { armError, eq, readArmJson, type ArmCall, type LocalWebApp } from './armShared.js';
import type { ArmRoute, LocalArmState } from './armState.js';
import { sendJson } from './standinHttp.js';

const SITE = 'subscriptions/*/resourcegroups/*/providers/microsoft.web/sites/*';
const ACTION_GROUP = 'subscriptions/*/resourcegroups/*/providers/microsoft.insights/actiongroups/*';

/** The resource id a request names: its first eight segments, `/subscriptions/…/{type}/{name}`. */
const resourceId = (call: ArmCall): string => `/${call.segments.slice(0, 8).join('/')}`;

/** A function app the test declared, or ARM's 404. */
function findWebApp(call: ArmCall, arm: LocalArmState): LocalWebApp {
  const app = arm.options.webApps().find((a) => eq(a.id, resourceId(call)));
  if (!app) {
    throw armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Web/sites/${call.name}' under resource group '${call.rg}' was not found.`,
    );
  }
  return app;
}

export const WEB_APP_ROUTES: ArmRoute[] = [
  {
    method: 'GET',
    path: SITE,
    serve: (call, arm) => {
      const app = findWebApp(call, arm);
      sendJson(call.res, 200, {
        id: app.id,
        name: app.id.split('/').pop(),
        type: 'Microsoft.Web/sites',
        kind: 'functionapp,linux',
        properties: { defaultHostName: app.defaultHostName, state: 'Running' },
      });
    },
  },
  {
    method: 'POST',
    path: `${SITE}/host/default/listkeys`,
    serve: (call, arm) => {
      const app = findWebApp(call, arm);
      // Until the host runs and reaches its storage, App Service answers 400 with the host runtime's error.
      if (!app.functionKeys) {
        throw armError(400, 'BadRequest', 'Encountered an error (ServiceUnavailable) from host runtime.');
      }
      sendJson(call.res, 200, { masterKey: 'local-master-key', functionKeys: app.functionKeys, systemKeys: {} });
    },
  },
];

export const ACTION_GROUP_ROUTES: ArmRoute[] = [
  {
    method: 'GET',
    path: ACTION_GROUP,
    serve: (call, arm) => {
      arm.findSubscription(call.sub);
      const group = arm.options.actionGroups.get(resourceId(call).toLowerCase());
      if (!group) {
        throw armError(
          404,
          'ResourceNotFound',
          `The Resource 'microsoft.insights/actiongroups/${call.name}' under resource group '${call.rg}' was not found.`,
        );
      }
      sendJson(call.res, 200, group);
    },
  },
  {
    method: 'PUT',
    path: ACTION_GROUP,
    serve: async (call, arm) => {
      arm.findSubscription(call.sub);
      const id = resourceId(call);
      const parsed = await readArmJson(call.req, 4 * 1024 * 1024);
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
        name: call.name,
        type: 'Microsoft.Insights/ActionGroups',
        location: body.location,
        tags: body.tags ?? {},
        properties: props,
      };
      arm.options.actionGroups.set(id.toLowerCase(), stored);
      sendJson(call.res, 200, stored);
    },
  },
];
