/**
 * The layers of docs/architecture.md, checked by `npm run check`
 * (`depcruise app lib scripts proxy.ts`). From the top:
 *
 *   scripts/, app/  →  lib/<domain>/ (wiki, talk, users, auth, api, feeds, …)
 *     →  lib/mdx/  →  lib/wikitext/ (titles, [[links]])
 *     →  lib/db/   →  lib/env.ts;  lib/text.ts, lib/errors.ts, lib/ids.ts at the bottom.
 *
 * Imports use the `@/` alias of tsconfig.json: `tsConfig` below makes them
 * resolve, and `not-unresolvable` fails the check if they ever stop resolving
 * (an unresolved import would silently pass every other rule).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-folder-cycle",
      severity: "error",
      comment: "Folders form layers: if lib/a imports lib/b, nothing in lib/b may lead back to lib/a. Move the shared part down.",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-module-cycle",
      severity: "error",
      comment: "No import cycles between files either (drizzle's table references inside lib/db/schema are the one allowed loop).",
      from: { pathNot: "^lib/db/schema/" },
      to: { circular: true },
    },
    {
      name: "not-unresolvable",
      severity: "error",
      comment: "Every import resolves (the `@/` alias through tsconfig.json); an unresolved one would escape all the other rules.",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "lib-not-to-app",
      severity: "error",
      comment: "The domain knows nothing of routes: lib/ never imports app/ (nor scripts/ or test/).",
      from: { path: "^lib/" },
      to: { path: "^(app|scripts|test|bench)/" },
    },
    {
      name: "app-not-to-scripts",
      severity: "error",
      comment: "Routes call the domain, not the launcher or the tests.",
      from: { path: "^(app/|proxy\\.ts$)" },
      to: { path: "^(scripts|test|bench)/" },
    },
    {
      name: "db-imports-no-domain",
      severity: "error",
      comment: "lib/db (client, schema, launcher, migrations) sits under every domain: it may read lib/env.ts, nothing else of lib/.",
      from: { path: "^lib/db/" },
      to: { path: "^lib/", pathNot: "^lib/(db/|env\\.ts$)" },
    },
    {
      name: "app-not-to-schema",
      severity: "error",
      comment: "Routes call lib/ queries and commands; they never build queries on the drizzle schema themselves.",
      from: { path: "^(app/|proxy\\.ts$)" },
      to: { path: "^lib/db/schema" },
    },
    {
      name: "leaf-modules-import-no-domain",
      severity: "error",
      comment: "lib/text.ts, lib/errors.ts and lib/ids.ts are parsed at every edge and below every domain: they import no other module of the project.",
      from: { path: "^lib/(text|errors|ids)\\.ts$" },
      to: { path: "^(lib|app|scripts)/" },
    },
    {
      name: "wikitext-is-pure",
      severity: "error",
      comment: "lib/wikitext (titles, [[links]]) is pure text handling under lib/mdx and every domain: it imports nothing else of lib/ but the text rules (lib/text.ts).",
      from: { path: "^lib/wikitext/" },
      to: { path: "^(lib|app|scripts)/", pathNot: "^lib/(wikitext/|text\\.ts$)" },
    },
    {
      name: "mdx-imports-no-domain",
      severity: "error",
      comment: "lib/mdx (the validator and renderer) is below the domains that render through it; it may use lib/wikitext and the leaf modules.",
      from: { path: "^lib/mdx/" },
      to: { path: "^lib/", pathNot: "^lib/(mdx/|wikitext/|env\\.ts$|text\\.ts$|errors\\.ts$|ids\\.ts$)" },
    },
    {
      name: "renderer-only-in-worker",
      severity: "error",
      comment: "Page code is evaluated only in the CPU worker's processes: nothing but scripts/cpu-worker.ts (and render.tsx itself) imports render.tsx, evaluate.ts or components.tsx at run time (types are fine).",
      from: { pathNot: "^(lib/mdx/render\\.tsx|scripts/cpu-worker\\.ts)$" },
      to: { path: "^lib/mdx/(render\\.tsx|evaluate\\.ts|components\\.tsx)$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "page-cache-only-in-server",
      severity: "error",
      comment:
        "The page cache lives in scripts/server.ts's module graph; Next.js's bundle reaches it through lib/http/page-cache-key.ts (a global symbol). Importing it from app/ or the domain would make a second, empty cache.",
      from: { path: "^(app|lib)/", pathNot: "^lib/http/page-cache(?!-key)" },
      to: { path: "^lib/http/page-cache(?!-key)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(\\.next|\\.build|\\.data|node_modules)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
