import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { QUEUE_MAX_DEQUEUE_COUNT } from '../../../shared/config/config.js';

// The queue workers log "last attempt" (and what happens next) from the dequeue count; they must agree with the
// maxDequeueCount the host applies before moving a message to the poison queue.
describe('host.json and the queue workers agree', () => {
  it('QUEUE_MAX_DEQUEUE_COUNT is host.json maxDequeueCount', () => {
    const host = JSON.parse(readFileSync('host.json', 'utf8')) as {
      extensions: { queues: { maxDequeueCount: number } };
    };
    expect(QUEUE_MAX_DEQUEUE_COUNT).toBe(host.extensions.queues.maxDequeueCount);
  });
});
