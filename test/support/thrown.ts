// What a synchronous call throws, for tests that assert on the error's own fields (kind, errorType) as well as its type.
import { expect } from '@jest/globals';

/** Runs `run` and returns what it throws, asserted to be a `type`; fails the test when nothing is thrown. */
export function thrownBy<E extends Error>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected ${type.name} to be thrown, but the call returned`);
}
