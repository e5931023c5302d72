// The local certificate lives with the simulator (shared/simulator/localTls.ts): the CLI's `simulate` serves the
// simulated cluster over HTTPS with it, and the CLI must not import dev/. Kept here for dev/, the tests and
// scripts/localTls.mjs (which runs the built dist/dev/tls.js).
export { ensureLocalTls, type LocalTls } from '../shared/simulator/localTls.js';
