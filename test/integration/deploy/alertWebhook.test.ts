// `wire-alerts` against the local ARM over HTTPS, signed in by the real ManagedIdentityCredential through the local
// token endpoint: the host serves no keys until it has started (as after a fresh provision), the receiver is added
// without touching the action group's other receivers, and the key is never in what the command prints.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { ArmRequestError, WEBHOOK_RECEIVER_NAME, wireAlertWebhook } from '../../../shared/deploy/alertWebhook.js';
import { runCli } from '../../../cli/main.js';
import { resetConfigForTesting } from '../../../shared/config/config.js';
import { Writable } from 'node:stream';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';

const SUB = '33333333-3333-3333-3333-333333333333';
const RG = 'rg-aiops';
const APP_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Web/sites/func-aiops-abc`;
const GROUP_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/actionGroups/ag-aiops-webhook-abc`;
const KEY = 'k3y/with+chars==';

let local: LocalAzure;
let credential: ManagedIdentityCredential;

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-deploy-wire-alerts',
    clusters: [],
    subscriptions: [{ subscriptionId: SUB, displayName: 'aiops' }],
  });
  useLocalIdentity(local);
  credential = new ManagedIdentityCredential();
});

afterAll(async () => {
  clearLocalIdentity();
  await local?.close();
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

describe('wireAlertWebhook', () => {
  it('waits for the host to serve its keys, then adds the receiver and keeps the others', async () => {
    const delays: number[] = [];
    let clock = 0;
    const result = await wireAlertWebhook({
      armEndpoint: local.armEndpoint,
      credential,
      functionAppId: APP_ID,
      actionGroupId: GROUP_ID,
      waitForKeysMs: 600_000,
      retryIntervalMs: 15_000,
      now: () => clock,
      // The host "starts" after the second failed attempt: an explicit signal, not a sleep.
      delay: async (ms) => {
        delays.push(ms);
        clock += ms;
        if (delays.length === 2) local.webApps[0]!.functionKeys = { default: KEY };
      },
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
    const again = await wireAlertWebhook({
      armEndpoint: local.armEndpoint,
      credential,
      functionAppId: APP_ID,
      actionGroupId: GROUP_ID,
      waitForKeysMs: 0,
    });
    expect(again).toMatchObject({ changed: false, attempts: 1 });
    expect(receivers()).toHaveLength(1);
  });

  it('gives up at the deadline with HostKeysUnavailable when the host never starts', async () => {
    let clock = 0;
    const err = await wireAlertWebhook({
      armEndpoint: local.armEndpoint,
      credential,
      functionAppId: APP_ID,
      actionGroupId: GROUP_ID,
      waitForKeysMs: 60_000,
      retryIntervalMs: 20_000,
      now: () => clock,
      delay: async (ms) => {
        clock += ms;
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArmRequestError);
    expect(err).toMatchObject({ code: 'HostKeysUnavailable', status: 503 });
    expect((err as Error).message).toContain('4 attempts');
    expect(receivers()).toEqual([]);
  });

  it('fails at once on a missing app (404 does not heal by waiting)', async () => {
    const err = await wireAlertWebhook({
      armEndpoint: local.armEndpoint,
      credential,
      functionAppId: APP_ID.replace('func-aiops-abc', 'func-missing'),
      actionGroupId: GROUP_ID,
      waitForKeysMs: 600_000,
      delay: () => Promise.reject(new Error('must not wait')),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'ResourceNotFound' });
  });

  it('rejects ids that are not a site and an action group', async () => {
    await expect(
      wireAlertWebhook({
        armEndpoint: local.armEndpoint,
        credential,
        functionAppId: GROUP_ID,
        actionGroupId: GROUP_ID,
        waitForKeysMs: 0,
      }),
    ).rejects.toThrow(/not a function app resource id/);
  });
});

describe('aks-aiops wire-alerts', () => {
  const capture = () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    return { stream, text: () => text };
  };

  it('--if-deployed skips (exit 0) while the app serves no keys, then wires once it does; the key is never printed', async () => {
    const prev = process.env.ARM_ENDPOINT;
    process.env.ARM_ENDPOINT = local.armEndpoint;
    resetConfigForTesting();
    try {
      const args = ['wire-alerts', '--function-app-id', APP_ID, '--action-group-id', GROUP_ID, '--if-deployed'];
      const out1 = capture();
      const err1 = capture();
      expect(await runCli(args, { stdout: out1.stream, stderr: err1.stream, interactive: false })).toBe(0);
      expect(out1.text()).toContain('not deployed');
      expect(receivers()).toEqual([]);

      local.webApps[0]!.functionKeys = { default: KEY };
      const out2 = capture();
      const err2 = capture();
      expect(await runCli(args, { stdout: out2.stream, stderr: err2.stream, interactive: false })).toBe(0);
      expect(out2.text()).toContain('wired');
      expect(out2.text() + err2.text() + out1.text() + err1.text()).not.toContain('k3y');
      expect(receivers()).toHaveLength(1);
    } finally {
      if (prev === undefined) delete process.env.ARM_ENDPOINT;
      else process.env.ARM_ENDPOINT = prev;
      resetConfigForTesting();
    }
  });
});
