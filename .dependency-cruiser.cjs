// The package boundaries, checked by `npm run lint:boundaries` (dependency-cruiser).
// Two kinds of rule: the layers (each package may import only packages below
// it, plus the few same-layer edges named here), and each README's "must never
// import" sentence, quoted in the rule's comment. Workspace imports resolve to
// the importee's dist/ (its exports map), so the check runs after `tsc -b`.

/** Bottom to top. A package's src/ may import the packages of lower layers, and `sameLayer` ones. */
const LAYERS = [
  ['errors'],
  ['contracts'],
  ['registry', 'usage', 'logs', 'runtime', 'bundler', 'service'],
  ['placement', 'autoscaler'],
  ['frontend', 'worker-node', 'billing'],
  ['combined'],
  ['client', 'loadgen', 'local-cluster'],
  ['cli', 'testing'],
];
const SAME_LAYER = {
  usage: ['registry'],
  logs: ['registry'],
  autoscaler: ['placement'],
  loadgen: ['client'],
};

const dir = (name) => `packages/${name}/`;
const anyOf = (names) => `^(${names.map(dir).join('|')})`;
const npm = (names) => `^node_modules/(${names.join('|')})/`;
const GRPC_NPM = ['@grpc/grpc-js', '@grpc/proto-loader', '@grpc/reflection', 'protobufjs'];
// `@stratus/contracts/grpc` resolves to contracts' dist/grpc.* (and its src/grpc*.ts and generated/ from inside contracts).
const CONTRACTS_GRPC = '^packages/contracts/(dist|src)/(grpc|generated)';
const TRANSPORTS = [...GRPC_NPM, 'nats', 'etcd3'];
// A service's internals: everything but its `config` subpath (the settings schema, which loads nothing of the service).
const serviceInternals = (names) => `^packages/(${names.join('|')})/(?!dist/config\\.)`;

const layerOf = new Map(LAYERS.flatMap((names, i) => names.map((name) => [name, i])));
const workspacePackages = [...layerOf.keys()];

const layerRules = workspacePackages.map((name) => {
  const allowed = workspacePackages.filter((other) => layerOf.get(other) < layerOf.get(name) || (SAME_LAYER[name] ?? []).includes(other));
  return {
    name: `layers-${name}`,
    comment: `${name} sits on layer ${layerOf.get(name)}: its src/ may import only ${allowed.join(', ') || 'no Stratus package'} (see LAYERS).`,
    severity: 'error',
    from: { path: `^${dir(name)}src/` },
    to: { path: '^(packages/[^/]+|bench)/', pathNot: `^(${[name, ...allowed].map(dir).join('|')})` },
  };
});

/** Each README's "must never import", as [package, quote, forbidden path pattern, from pattern (default its src/)]. */
const README_RULES = [
  ['errors', 'must never import another Stratus package or any I/O library', '^(packages/(?!errors/)|node_modules/)'],
  ['contracts', 'must never import a service package (frontend, node, billing, cli) or a logger', `${anyOf(['frontend', 'worker-node', 'billing', 'cli'])}|${npm(['pino'])}`, '^packages/contracts/'],
  [
    'contracts',
    'the package root is transport-free: only `@stratus/contracts/grpc` loads grpc-js and proto-loader',
    npm(TRANSPORTS),
    '^packages/contracts/src/',
    '^packages/contracts/src/(grpc|generated)',
  ],
  ['registry', 'must never import a service package (frontend, node, billing, cli), the runtime, or gRPC', `${anyOf(['frontend', 'worker-node', 'billing', 'cli', 'runtime'])}|${CONTRACTS_GRPC}|${npm(GRPC_NPM)}`],
  ['usage', 'must never import `@stratus/billing` or any service package (frontend, node, runtime, cli)', anyOf(['billing', 'frontend', 'worker-node', 'runtime', 'cli'])],
  ['logs', 'must never import a service package (frontend, node, runtime, cli, billing)', anyOf(['frontend', 'worker-node', 'runtime', 'cli', 'billing'])],
  [
    'runtime',
    'must never import NATS, etcd, gRPC, a logger, or any service package; it depends only on errors, contracts, isolated-vm, piscina and undici (egress)',
    `^node_modules/(?!(isolated-vm|piscina|undici)/)|${CONTRACTS_GRPC}|^(packages/(?!(errors|contracts|runtime)/)[^/]+/)`,
  ],
  ['bundler', 'is a pure function of its input: it must never import NATS, etcd, gRPC or the runtime', `${npm([...TRANSPORTS, 'isolated-vm'])}|${CONTRACTS_GRPC}|${anyOf(['runtime'])}`],
  ['placement', 'must never import the gRPC layer, the worker node, the runtime, or billing', `${npm(GRPC_NPM)}|${CONTRACTS_GRPC}|${anyOf(['frontend', 'worker-node', 'runtime', 'billing'])}`],
  ['autoscaler', 'must never import the local cluster, the frontend, the worker node, the runtime or billing', anyOf(['local-cluster', 'frontend', 'worker-node', 'runtime', 'billing'])],
  ['frontend', 'must never import the worker node, the runtime, or billing internals', anyOf(['worker-node', 'runtime', 'billing'])],
  ['worker-node', 'must never import the frontend, placement, billing, or gRPC', `${anyOf(['frontend', 'placement', 'billing'])}|${CONTRACTS_GRPC}|${npm(GRPC_NPM)}`],
  ['billing', 'must never import the frontend, the worker node, the runtime or the CLI', anyOf(['frontend', 'worker-node', 'runtime', 'cli'])],
  [
    'combined',
    'meets the frontend and the worker node only through their public entry points (`@stratus/frontend`, `@stratus/worker-node` and their `config`), never placement, the runtime or billing',
    anyOf(['placement', 'runtime', 'billing', 'usage', 'logs', 'bundler']),
  ],
  ['client', 'depends only on @stratus/errors, @stratus/contracts and grpc-js, and must never import service packages', '^packages/(?!(errors|contracts|client)/)[^/]+/'],
  [
    'local-cluster',
    "starts each service from its `main` entry point only (as a child process) and must never import a service's internals (anything but `main` and `config`)",
    `${serviceInternals(['frontend', 'worker-node', 'billing', 'combined'])}|${anyOf(['placement', 'runtime', 'usage', 'logs', 'bundler', 'service'])}`,
  ],
  [
    'cli',
    "reaches the platform only through @stratus/client and @stratus/local-cluster, never a service package's internals",
    `${serviceInternals(['frontend', 'worker-node', 'billing', 'combined'])}|${anyOf(['placement', 'registry', 'usage', 'logs', 'runtime', 'bundler', 'autoscaler', 'service'])}`,
  ],
  [
    'loadgen',
    'must never import the bench harness, its report or charts (vega, vega-lite), isolated-vm, @stratus/local-cluster, a service package, or @stratus/testing',
    `^bench/|${npm(['vega', 'vega-lite', 'isolated-vm'])}|^packages/(?!(errors|contracts|client|loadgen)/)[^/]+/`,
  ],
];

const readmeRules = README_RULES.map(([name, quote, to, from = `^${dir(name)}src/`, fromNot], i) => ({
  name: `readme-${name}${README_RULES.filter(([n]) => n === name).length > 1 ? `-${i}` : ''}`,
  comment: `packages/${name}/README.md: "${quote}".`,
  severity: 'error',
  from: fromNot ? { path: from, pathNot: fromNot } : { path: from },
  to: { path: to },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    ...readmeRules,
    {
      name: 'readme-bench',
      comment: `bench/README.md: "must never import a service's internals (frontend, node, billing, placement) or @stratus/testing".`,
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: `${serviceInternals(['frontend', 'worker-node', 'billing', 'combined'])}|${anyOf(['placement', 'testing'])}` },
    },
    {
      name: 'testing-only-in-tests',
      comment: 'packages/testing/README.md: "must never be imported by product code (anything under src/ of another package)".',
      severity: 'error',
      from: { path: '^(packages/[^/]+|bench)/src/', pathNot: '^packages/testing/' },
      to: { path: '^packages/testing/' },
    },
    {
      name: 'service-only-from-main',
      comment: 'packages/service/README.md: "Services call runService from their main.ts and nowhere else; nothing but a main.ts may import it".',
      severity: 'error',
      from: { pathNot: '^packages/service/|/src/main\\.ts$' },
      to: { path: '^packages/service/' },
    },
    {
      name: 'no-deep-imports',
      comment:
        "Packages meet through each other's exports (`@stratus/x`, `@stratus/x/sub`), never through a relative path into another package's folder.",
      severity: 'error',
      from: { path: '^(packages/[^/]+|bench|test)/' },
      to: { dependencyTypes: ['local'], path: '^(packages/[^/]+|bench|test)/', pathNot: '^$1/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo, a package missing from package.json, or a path outside an exports map (run `npx tsc -b` first: workspace packages resolve to their dist/).',
      severity: 'error',
      from: {},
      // stratus:files is linked into the isolate by the runtime; only the bundler's isolate code imports it.
      to: { couldNotResolve: true, pathNot: '^stratus:files$' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other at run time load in an order that depends on who came first; a cycle through type-only imports is harmless.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Workspace packages resolve through their exports maps to dist/, which is not cruised further.
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
