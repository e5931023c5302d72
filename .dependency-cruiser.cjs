// The house plan, checked: `npm run depcruise` (run by .ci/run and by `npm run lint`) fails when an import runs
// against the layers described in README.md ("Architecture"). Layers, from the bottom:
//   platform   shared/config, shared/errors.ts, shared/observability, shared/outbound, shared/storage, shared/version.ts
//   access     shared/kube (Kubernetes), shared/azure (ARM, identity, Log Analytics)
//   capability every other folder of shared/ (sweep, diagnostics, simulator, anomaly, scaling, results, ...)
//   adapters   functions/ (Azure Functions triggers) and cli/ (the command line); dev/ (local host, stand-ins); test/
// Rule syntax: https://github.com/sverweij/dependency-cruiser/blob/main/doc/rules-reference.md
/** Capability folders of shared/: what the platform and access layers must never import. */
const CAPABILITIES =
  '^shared/(sweep|diagnostics|simulator|anomaly|scaling|results|report|api|health|deploy|web|metrics)/';
const PLATFORM = '^shared/(config/|errors[.]ts$|observability/|outbound/|storage/|version[.]ts$)';

/** An import the layers forbid: from a module whose path matches `from` to one whose path matches `to`. */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'shared-not-to-adapters',
      'shared/ is the domain: it never reaches back into an adapter (functions/, cli/), dev/ or test/.',
      '^shared/',
      '^(functions|cli|dev|test)/',
    ),
    forbid(
      'adapters-not-to-dev',
      'functions/ and cli/ ship to users; dev/ (local host, stand-ins) and test/ do not.',
      '^(functions|cli)/',
      '^(dev|test)/',
    ),
    forbid(
      'sweep-diagnostics-not-to-simulator',
      'The sweep and the diagnostics run against real clusters; the simulator is one more source, not a part.',
      '^shared/(sweep|diagnostics)/',
      '^shared/simulator/',
    ),
    forbid(
      'access-not-to-capabilities',
      'shared/kube and shared/azure say how to reach a cluster or Azure; capabilities use them, not the reverse.',
      '^shared/(kube|azure)/',
      CAPABILITIES,
    ),
    forbid(
      'platform-not-upwards',
      'The platform layer (config, errors, observability, outbound, storage) knows no capability or access layer.',
      PLATFORM,
      `${CAPABILITIES.slice(0, -1)}|^shared/(kube|azure)/`,
    ),
    {
      name: 'no-circular',
      comment: 'No cycles, type-only imports included: a cycle means two modules are one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|build|\\.data)/' },
    // Type-only imports count: a cycle through `import type` is still a cycle (tsPreCompilationDeps keeps them).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
