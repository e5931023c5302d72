'use strict';
// The Azure Functions Node.js worker provides `@azure/functions-core` to the app; `@azure/functions` calls
// registerFunction/setProgrammingModel on it. Locally the dev host reads what was registered from this module, so
// every route, schedule and binding comes from the app's own app.http/app.timer/app.storageQueue calls.
// State lives on globalThis so that every copy of this module (bundle or unbundled build) shares one registry.
const state = (globalThis.__aksAiopsFunctionsCore ??= { functions: [], programmingModel: undefined, hooks: {} });

class Disposable {
  constructor(callOnDispose) {
    this._callOnDispose = callOnDispose;
  }
  dispose() {
    if (this._callOnDispose) {
      this._callOnDispose();
      this._callOnDispose = undefined;
    }
  }
}

module.exports = {
  version: '4.0.0-local',
  hostVersion: '4.0.0-local',
  Disposable,
  registerFunction(metadata, callback) {
    const entry = { metadata, callback };
    state.functions.push(entry);
    return new Disposable(() => {
      state.functions = state.functions.filter((f) => f !== entry);
    });
  },
  setProgrammingModel(model) {
    state.programmingModel = model;
  },
  getProgrammingModel() {
    return state.programmingModel;
  },
  registerHook(hookName, callback) {
    (state.hooks[hookName] ??= []).push(callback);
    return new Disposable(() => {
      state.hooks[hookName] = state.hooks[hookName].filter((c) => c !== callback);
    });
  },
  log(level, category, message) {
    if (state.logHandler) state.logHandler(level, category, message);
    else console.log(JSON.stringify({ level, category, message }));
  },
  get __state() {
    return state;
  },
};
