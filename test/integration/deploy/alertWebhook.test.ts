// `wire-alerts` against the local ARM over HTTPS, signed in by the real ManagedIdentityCredential through the local
// token endpoint: the host serves no keys until it has started (as after a fresh provision), the receiver is added
// without touching the action group's other receivers, and the key is never in what the command prints.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import type { LocalAzure } from '../../../dev/standins/localAzure.js';
import {
  ArmRequestError,
  WEBHOOK_RECEIVER_NAME,
  wireAlertWebhook,
  type WireAlertWebhookOptions,
} from '../../../shared/deploy/alertWebhook.js';
import { runCli } from '../../../cli/main.js';
import { resetConfigForTesting } from '../../../shared/config/config.js';
import { startLocalAzureWithIdentity, stopLocalAzureWithIdentity } from '../../support/localAzureIdentity.js';
import { captureCliIo } from '../../support/cliIo.js';

const SUB = '33333333-3333-3333-3333-333333333333';
const RG = 'rg-aiops';
const APP_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/func-aiops-abc`;
const GROUP_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/ag-aiops-webhook-abc`;
const KEY = 'k3y/with+chars==';

let local: LocalAzure;
let credential: ManagedIdentityCredential;

beforeAll(async () => {
  local = await startLocalAzureWithIdentity('.data/test-deploy-wire-alerts', {
    subscriptions: [{ subscriptionId: SUB, displayName: 'aiops' }],
  });
  credential = new ManagedIdentityCredential();
});

afterAll(async () => {
  await stopLocalAzureWithIdentity(local);
});

beforeEach(() => {
  local.webApps.splice(0, local.webApps.length, { id: APP_ID, defaultHostName: 'func-aiops-abc.azurewebsites.net' });
  // As provisioned: no webhook receiver, but an operator's receiver added by hand must survive.
  local.actionGroups.clear();
  local.actionGroups.set(GROUP_ID.toLowerCase(), {
    id: GROUP_ID,
    location: 'Global',
    tags: { 'azd-env-name': 'test' },
    properties: {
      groupShortName: 'aiopsdiag',
      enabled: true,
      emailReceivers: [{ name: 'oncall', emailAddress: 'oncall@example.com', useCommonAlertSchema: true }],
    },
  });
});

const receivers = () =>
  (local.actionGroups.get(GROUP_ID.toLowerCase())!.properties as { webhookReceivers?: Array<Record<string, unknown>> })
    .webhookReceivers ?? [];

/** wireAlertWebhook against the local ARM as this file's app and action group; a test gives what it varies. */
const wire = (options: Partial<WireAlertWebhookOptions> & Pick<WireAlertWebhookOptions, 'waitForKeysMs'>) =>
  wireAlertWebhook({
    armEndpoint: local.armEndpoint,
    credential,
    functionAppId: APP_ID,
    actionGroupId: GROUP_ID,
    ...options,
  });

/** A clock that `delay` moves instead of waiting, so the key-wait loop runs at once; `onDelay` sees each wait. */
function steppedClock(onDelay: (ms: number) => void = () => undefined) {
  let clock = 0;
  return {
    now: () => clock,
    delay: (ms: number) => {
      clock += ms;
      onDelay(ms);
      return Promise.resolve();
    },
  };
}

describe('wireAlertWebhook', () => {
  it('waits for the host to serve its keys, then adds the receiver and keeps the others', async () => {
    const delays: number[] = [];
    const result = await wire({
      waitForKeysMs: 600_000,
      retryIntervalMs: 15_000,
      // The host "starts" after the second failed attempt: an explicit signal, not a sleep.
      ...steppedClock((ms) => {
        delays.push(ms);
        if (delays.length === 2) local.webApps[0]!.functionKeys = { default: KEY };
      }),
    });
    expect(result).toMatchObject({
      changed: true,
      attempts: 3,
      webhookUrl: 'https://func-aiops-abc.azurewebsites.net/api/alerts',
    });
    expect(delays).toEqual([15_000, 15_000]);
    expect(receivers()).toEqual([
      {
        name: WEBHOOK_RECEIVER_NAME,
        serviceUri: `https://func-aiops-abc.azurewebsites.net/api/alerts?code=${encodeURIComponent(KEY)}`,
        useCommonAlertSchema: true,
        useAadAuth: false,
      },
    ]);
    const group = local.actionGroups.get(GROUP_ID.toLowerCase())!;
    expect(group.tags).toEqual({ 'azd-env-name': 'test' });
    expect((group.properties as { emailReceivers: unknown[] }).emailReceivers).toHaveLength(1);

    // Run again: nothing to change (idempotent hooks).
    const again = await wire({ waitForKeysMs: 0 });
    expect(again).toMatchObject({ changed: false, attempts: 1 });
    expect(receivers()).toHaveLength(1);
  });

  it('gives up at the deadline with HostKeysUnavailable when the host never starts', async () => {
    const err = await wire({ waitForKeysMs: 60_000, retryIntervalMs: 20_000, ...steppedClock() }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ArmRequestError);
    expect(err).toMatchObject({ code: 'HostKeysUnavailable', status: 503 });
    expect((err as Error).message).toContain('4 attempts');
    expect(receivers()).toEqual([]);
  });

  it('fails at once on a missing app (404 does not heal by waiting)', async () => {
    const err = await wire({
      functionAppId: APP_ID.replace('func-aiops-abc', 'func-missing'),
      waitForKeysMs: 600_000,
      delay: () => Promise.reject(new Error('must not wait')),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'ResourceNotFound' });
  });

  it('rejects ids that are not a site and an action group', async () => {
    await expect(wire({ functionAppId: GROUP_ID, waitForKeysMs: 0 })).rejects.toThrow(/not a function app resource id/);
  });
});

describe('aks-aiops wire-alerts', () => {
  it('--if-deployed skips (exit 0) while the app serves no keys, then wires once it does; the key is never printed', async () => {
    const prev = process.env.ARM_ENDPOINT;
    process.env.ARM_ENDPOINT = local.armEndpoint;
    resetConfigForTesting();
    try {
      const args = ['wire-alerts', '--function-app-id', APP_ID, '--action-group-id', GROUP_ID, '--if-deployed'];
      const first = captureCliIo();
      expect(await runCli(args, first.io)).toBe(0);
      expect(first.out()).toContain('not deployed');
      expect(receivers()).toEqual([]);

      local.webApps[0]!.functionKeys = { default: KEY };
      const second = captureCliIo();
      expect(await runCli(args, second.io)).toBe(0);
      expect(second.out()).toContain('wired');
      expect(second.out() + second.err() + first.out() + first.err()).not.toContain('k3y');
      expect(receivers()).toHaveLength(1);
    } finally {
      if (prev === undefined) delete process.env.ARM_ENDPOINT;
      else process.env.ARM_ENDPOINT = prev;
      resetConfigForTesting();
    }
  });
});
