/**
 * The repository's import rules, checked by `npm run lint` (dependency-cruiser). A wrong import
 * fails with the name of the rule it breaks; docs/ARCHITECTURE.md draws the layers.
 * packages/dev/src/dependency-rules.test.ts checks that every rule still catches what it should.
 */

/**
 * The layers of packages/core/src, bottom first: a module may import its own layer and those
 * below it, never one above. Layers on one line are side by side and do not import each other.
 * Tests (*.test.ts) are exempt: they may drive their layer from above (train a network).
 */
const CORE_LAYERS = [
  ["errors"],
  ["codec", "validate"],
  ["random"],
  ["kernels"],
  ["pid"],
  ["goals"],
  ["search"],
  ["optim"],
  ["neuron"],
  ["network", "memory"],
  ["train"],
  ["analysis"],
  ["index"],
];

/** The packages, bottom first: each may import those before it, through their entry points. */
const PACKAGES = ["core", "runs", "search", "lab", "cli", "dev"];

/** What other packages may import of each: its package.json "exports", as source files. */
const ENTRY_POINTS = [
  "packages/core/src/index.ts",
  "packages/core/src/kernels/index.ts",
  "packages/core/testing/index.ts",
  "packages/runs/src/index.ts",
  "packages/search/src/index.ts",
  "packages/runs/src/browser.ts",
  "packages/lab/src/index.ts",
  "packages/cli/src/main.ts",
  "packages/cli/src/data/index.ts",
  "packages/cli/src/workers/kernel-threads.ts",
  "packages/cli/src/training/hidden-layer.ts",
  "packages/cli/src/cli/entry-point.ts",
];

const core = "^packages/core/src/";
/** A path regex for layer folders (kernels/) and files (errors.ts) of core. */
const inCore = (names) => `${core}(${names.map((n) => `${n}(/|\\.ts$)`).join("|")})`;
const escapeRegExp = (path) => path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

const layerOrder = CORE_LAYERS.slice(0, -1).map((layer, i) => {
  const above = CORE_LAYERS.slice(i + 1).flat();
  const below = CORE_LAYERS.slice(0, i).flat();
  return {
    name: `core-layer-order-${layer.join("-")}`,
    comment:
      `core/src/${layer.join(", ")} may import only ` +
      `${below.length ? below.join(", ") : "nothing of core"}${layer.length > 1 ? " (not each other)" : ""}; ` +
      `layers bottom to top: ${CORE_LAYERS.map((l) => l.join(" | ")).join(" → ")}`,
    severity: "error",
    from: { path: inCore(layer), pathNot: "\\.test\\.ts$" },
    to: { path: inCore(above) },
  };
});

/** Side-by-side layers (codec | validate, network | memory) do not import each other. */
const sideBySide = CORE_LAYERS.filter((layer) => layer.length > 1).flatMap((layer) =>
  layer.map((name) => ({
    name: `core-layer-order-${name}`,
    comment: `core/src/${name} sits beside ${layer.filter((n) => n !== name).join(", ")} and may not import it`,
    severity: "error",
    from: { path: inCore([name]), pathNot: "\\.test\\.ts$" },
    to: { path: inCore(layer.filter((n) => n !== name)) },
  })),
);

const packageOrder = PACKAGES.slice(0, -1).map((name, i) => ({
  name: `package-order-${name}`,
  comment: `packages/${name} may import only ${PACKAGES.slice(0, i).join(", ") || "its own files"} (packages bottom to top: ${PACKAGES.join(" → ")}); tests and their testing/ helpers may drive packages above`,
  severity: "error",
  from: { path: `^packages/${name}/`, pathNot: ["\\.test\\.ts$", `^packages/${name}/testing/`] },
  to: { path: `^packages/(${PACKAGES.slice(i + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...layerOrder,
    ...sideBySide,
    {
      name: "core-search-below-kernels",
      comment:
        "core/src/search (goal-search samplers) may import only errors, random and goals: it proposes goals, it does not compute them",
      severity: "error",
      from: { path: inCore(["search"]) },
      to: { path: inCore(["kernels", "pid"]) },
    },
    {
      name: "no-cycles",
      comment: "modules must not import each other in a circle, directly or through others",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-no-node-apis",
      comment: "core runs in browsers: no node: modules (its tests may use them)",
      severity: "error",
      from: { path: core, pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "core-no-packages",
      comment: "core imports no npm package: everything it runs ships in it",
      severity: "error",
      from: { path: core, pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg"] },
    },
    {
      name: "runs-format-no-node-apis",
      comment:
        "runs/src/format (the run folder's file formats, @infomorph/runs/browser) runs in browsers: no node: modules, nothing from the rest of runs",
      severity: "error",
      from: { path: "^packages/runs/src/(format/|browser\\.ts$)", pathNot: "\\.test\\.ts$" },
      to: {
        dependencyTypes: ["core"],
      },
    },
    {
      name: "runs-format-stays-in-format",
      comment: "runs/src/format imports only its own files and @infomorph/core",
      severity: "error",
      from: { path: "^packages/runs/src/(format/|browser\\.ts$)", pathNot: "\\.test\\.ts$" },
      to: { path: "^packages/runs/src/", pathNot: "^packages/runs/src/format/" },
    },
    {
      name: "lab-page-runs-in-browsers",
      comment:
        "packages/lab/page is the web page: no node: modules, and of the run store only @infomorph/runs/browser",
      severity: "error",
      from: { path: "^packages/lab/page/src/", pathNot: "\\.test\\.ts$" },
      to: {
        dependencyTypes: ["core"],
      },
    },
    {
      name: "lab-page-uses-runs-browser-entry",
      comment:
        "the page takes the run store's formats from @infomorph/runs/browser, never its Node entry",
      severity: "error",
      from: { path: "^packages/lab/page/src/", pathNot: "\\.test\\.ts$" },
      to: { path: "^packages/runs/src/index\\.ts$" },
    },
    {
      name: "lab-uses-core-public-entry-only",
      comment:
        "the lab imports core through @infomorph/core only, as a page bundled for browsers would",
      severity: "error",
      from: { path: "^packages/lab/" },
      to: { path: "^packages/core/", pathNot: `^${escapeRegExp("packages/core/src/index.ts")}$` },
    },
    {
      name: "packages-use-entry-points",
      comment:
        "a package imports another only through an entry point in its package.json exports (or, in tests, its testing/ helpers), never its inner files",
      severity: "error",
      from: { path: "^packages/([^/]+)/" },
      to: {
        path: "^packages/",
        // another package's testing/ helpers are for tests, which no-src-imports-testing guards
        pathNot: [
          "^packages/$1/",
          "^packages/[^/]+/testing/",
          ...ENTRY_POINTS.map((p) => `^${escapeRegExp(p)}$`),
        ],
      },
    },
    ...packageOrder,
    {
      name: "no-src-imports-testing",
      comment: "library code must not import test code (testing/ folders, vitest); tests may",
      severity: "error",
      from: { path: "^packages/[^/]+/src/", pathNot: "\\.test\\.ts$" },
      to: { path: ["^packages/[^/]+/testing/", "(^|/)node_modules/(vitest|@vitest)/"] },
    },
    {
      name: "not-to-unresolvable",
      comment: "an import that resolves to no file is a typo or a missing dependency",
      severity: "error",
      from: {},
      // virtual: modules are made by the page's build (packages/lab/page/vite.config.ts)
      to: { couldNotResolve: true, pathNot: "^virtual:" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      extensions: [".ts", ".js", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
