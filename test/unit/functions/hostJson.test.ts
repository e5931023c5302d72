import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

// The queue workers log "last attempt" (and what happens next) from the dequeue count; they must agree with the
// maxDequeueCount the host applies before moving a message to the poison queue.
describe('host.json and the queue workers agree', () => {
  const host = JSON.parse(readFileSync('host.json', 'utf8')) as { extensions: { queues: { maxDequeueCount: number } } };
  it.each(['functions/alerts.ts', 'functions/sweeps.ts'])('%s uses host.json maxDequeueCount', (file) => {
    const source = readFileSync(file, 'utf8');
    const declared = /const MAX_DEQUEUE_COUNT = (\d+);/.exec(source)?.[1];
    expect(Number(declared)).toBe(host.extensions.queues.maxDequeueCount);
  });
});
