/**
 * The layers of docs/architecture.md, checked by `npm run lint` (dependency-cruiser): a wrong import fails CI.
 * The synth tool → the program (infra/) → stacks/ → components/ → the facts and helpers components need.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No cycle, not even of types.",
      from: {},
      to: { circular: true },
    },
    {
      name: "components-stand-alone",
      severity: "error",
      comment: "A component imports nothing above it, so it can ship as a package to other client repos.",
      from: { path: "^components/" },
      to: { path: "^(infra|stacks|policy|tools|bootstrap)/" },
    },
    {
      name: "program-never-imports-synth",
      severity: "error",
      comment: "The deploy path (a real `pulumi up`) never loads the offline synth tool.",
      from: { path: "^(infra|stacks|components)/" },
      to: { path: "^synth/" },
    },
    {
      name: "stacks-below-the-program",
      severity: "error",
      comment: "Stacks compose components; the synth tool, the policy pack and the tools sit above them.",
      from: { path: "^stacks/" },
      to: { path: "^(synth|policy|tools|bootstrap)/" },
    },
    {
      name: "stacks-use-only-the-program-types",
      severity: "error",
      comment:
        "Stacks read the program's Settings and Providers types (what it hands them), never its code: the program calls the stacks, not the reverse.",
      from: { path: "^stacks/" },
      to: { path: "^infra/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
