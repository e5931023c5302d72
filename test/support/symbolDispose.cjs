// jest 29 runs each test file in a vm context whose Symbol.dispose is not the one Node 22's events.addAbortListener
// uses; undici (the fetch inside @kubernetes/client-node 2.x) disposes abort listeners through it and fails with
// "removeAbortListener is not a function". Point the context's Symbol.dispose at Node's own symbol.
const { addAbortListener } = require('node:events');

const disposable = addAbortListener(new AbortController().signal, () => {});
const nodeDispose = Object.getOwnPropertySymbols(disposable)[0];
if (nodeDispose !== undefined && Symbol.dispose !== nodeDispose) {
  Object.defineProperty(Symbol, 'dispose', { value: nodeDispose, configurable: true });
}
disposable[nodeDispose]?.();
