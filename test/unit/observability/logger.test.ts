import { describe, expect, it } from '@jest/globals';
import { createLogger, redactSecrets, type LogSink } from '../../../shared/observability/logger.js';

function capture(): { sink: LogSink; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const push = (line: unknown) => lines.push(JSON.parse(String(line)) as Record<string, unknown>);
  return { sink: { debug: push, info: push, warn: push, error: push }, lines };
}

describe('redactSecrets', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOi.abc-def_ghi', 'eyJhbGciOi'],
    ['POST https://app.azurewebsites.net/api/alerts?code=s3cr3tFunctionKey&x=1', 's3cr3tFunctionKey'],
    ['https://acct.blob.core.windows.net/c/b?sv=2022&sig=abc%2Bdef', 'abc%2Bdef'],
    [
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5PT0=;EndpointSuffix=core.windows.net',
      'c2VjcmV0a2V5PT0=',
    ],
    ['Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=topsecret', 'topsecret'],
  ])('removes the secret from %s', (text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'pod payment-7f9c OOMKilled (exit code 137) on node aks-nodepool1-0';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('createLogger', () => {
  it('redacts secret-named fields, secrets inside messages, nested values and errors', () => {
    const { sink, lines } = capture();
    const logger = createLogger({ sink });
    logger.error('calling https://h/api/alerts?code=k3y', {
      headers: { authorization: 'Bearer tok.en', 'x-functions-key': 'fnkey' },
      connectionString: 'AccountName=a;AccountKey=abc123==',
      error: new Error('401 for Bearer abc.def'),
      count: 3,
    });
    const text = JSON.stringify(lines);
    for (const secret of ['k3y', 'tok.en', 'fnkey', 'abc123==', 'abc.def']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ level: 'error', count: 3 });
  });

  it('keeps the cause chain, code and stack of an error, redacted and bounded', () => {
    const { sink, lines } = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:10002'), { code: 'ECONNREFUSED' });
    const middle = new Error('GET https://st.table.core.windows.net/x?sig=s1gn4ture failed', { cause: root });
    const outer = Object.assign(new Error('storage unavailable', { cause: middle }), { statusCode: 503 });
    let deep: Error = outer;
    for (let i = 0; i < 10; i++) deep = new Error(`wrap ${i}`, { cause: deep });
    createLogger({ sink }).error('sweep failed', { error: outer, deep });
    const error = lines[0]?.error as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(error).toMatchObject({ name: 'Error', message: 'storage unavailable', statusCode: 503 });
    expect(error.stack).toContain('logger.test');
    expect(error.cause.message).toContain('?sig=[redacted]');
    expect(error.cause.cause).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:10002', code: 'ECONNREFUSED' });
    expect(JSON.stringify(lines)).not.toContain('s1gn4ture');
    // A pathological chain is cut, not followed forever.
    expect(JSON.stringify(lines[0]?.deep)).not.toContain('wrap 0');
  });

  it('drops lines below the configured level, children included', () => {
    const { sink, lines } = capture();
    const logger = createLogger({ sink, level: 'warn', fields: { component: 'x' } });
    logger.info('hidden');
    logger.child({ sweepId: 's1' }).debug('hidden too');
    logger.child({ sweepId: 's1' }).warn('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
    expect(lines[0]).toMatchObject({ component: 'x', sweepId: 's1' });
  });

  it('logs at info and above by default', () => {
    const { sink, lines } = capture();
    const logger = createLogger({ sink });
    logger.debug('hidden');
    logger.info('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
