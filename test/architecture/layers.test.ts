import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cycles, importsOf, moduleGraph, readmeLayerList, readmeLayerListIn, sourceFiles, unplaced, violations, type Import } from "./layers";

const ROOT = path.resolve(__dirname, "../..");

describe("one-way layers (src/)", () => {
  let imports: Import[];
  beforeAll(() => {
    imports = moduleGraph(ROOT);
  });

  it("reads the imports of every module, the admin UI and plain JavaScript included", () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ from: "src/events/processor.ts", to: "src/automations/contract.ts", typeOnly: false });
    // The Node version guard is loaded by require(), before any import.
    expect(imports).toContainEqual({ from: "src/main.ts", to: "scripts/require-node.cjs", typeOnly: false });
    expect(imports).toContainEqual({ from: "src/admin-ui/main.tsx", to: "src/admin-ui/api.ts", typeOnly: false });
    expect(sourceFiles(ROOT)).toContain("src/store/sqlite-writer-thread.js");
  });

  it("places every module of src/ in a layer", () => {
    expect(unplaced(sourceFiles(ROOT))).toEqual([]);
  });

  it("has no import against the layer order: no store module imports from above it, nothing imports http, the admin UI imports only the types of its answers", () => {
    expect(violations(imports)).toEqual([]);
  });

  it("has no cycle between any modules, type-only imports and the admin UI included", () => {
    expect(cycles(imports)).toEqual([]);
  });

  it("the admin UI bundle imports of the server only the types of its answers (src/admin-views.ts)", () => {
    const outside = imports.filter((i) => i.from.startsWith("src/admin-ui/") && !i.to.startsWith("src/admin-ui/"));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((i) => !(i.typeOnly && i.to === "src/admin-views.ts"))).toEqual([]);
  });

  it("the views the admin page types itself by import only types", () => {
    expect(imports.filter((i) => i.from === "src/admin-views.ts" && !i.typeOnly)).toEqual([]);
  });

  it("the README's layer list is the one the test checks (npx tsx test/architecture/write-readme-layers.ts rewrites it)", () => {
    expect(readmeLayerListIn(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"))).toBe(readmeLayerList());
  });
});

describe("the layer check itself", () => {
  it("fails on a deliberately wrong import: a store module importing from http", () => {
    const wrong = importsOf("src/store/shops.ts", 'import { metricsRoutes } from "../http/metrics";\n', ROOT);
    expect(violations(wrong)).toEqual(["src/store/shops.ts -> src/http/metrics.ts (store imports http, a higher layer)"]);
  });

  it("fails on a value import of the context, and allows its types", () => {
    expect(violations(importsOf("src/store/links.ts", 'import { systemClock } from "../context";\n', ROOT))).toEqual([
      "src/store/links.ts -> src/context.ts (only types may be imported from the context)",
    ]);
    expect(violations(importsOf("src/store/links.ts", 'import type { AppContext } from "../context";\nimport { type Clock } from "../context";\n', ROOT))).toEqual([]);
  });

  it.each([
    ["a side-effect import", 'import "../http/metrics";\n'],
    ["a require", 'const m = require("../http/metrics");\n'],
    ["a require of the compiled file", "const m = require('../http/metrics.js');\n"],
    ["a dynamic import", "const m = await import('../http/metrics');\n"],
    ["a re-export", 'export { metricsRoutes } from "../http/metrics";\n'],
    ["a re-export of everything", 'export * from "../http/metrics";\n'],
    ["a multi-line import", 'import {\n  metricsRoutes,\n  type X,\n} from "../http/metrics";\n'],
  ])("sees %s against the order", (_form, text) => {
    expect(violations(importsOf("src/store/shops.ts", text, ROOT))).toEqual(["src/store/shops.ts -> src/http/metrics.ts (store imports http, a higher layer)"]);
  });

  it("tells type-only imports and re-exports from value ones, and skips packages and commented-out lines", () => {
    const text = [
      'import type * as V from "../admin-views";',
      'export type { ShopView } from "../admin-views";',
      'import { type A, type B } from "../errors";',
      'import { AppError, type C } from "../errors";',
      'type T = typeof import("../clock");',
      'import { z } from "zod";',
      'import "@shopify/shopify-api/adapters/node";',
      '// import "../http/app";',
      '/** e.g. require("../http/app") */',
    ].join("\n");
    expect(importsOf("src/store/x.ts", text, ROOT)).toEqual([
      { from: "src/store/x.ts", to: "src/admin-views.ts", typeOnly: true },
      { from: "src/store/x.ts", to: "src/admin-views.ts", typeOnly: true },
      { from: "src/store/x.ts", to: "src/errors.ts", typeOnly: true },
      { from: "src/store/x.ts", to: "src/errors.ts", typeOnly: false },
      { from: "src/store/x.ts", to: "src/clock.ts", typeOnly: true },
    ]);
  });

  it("fails on the server importing the admin UI, and on the admin UI importing more than the types of its answers", () => {
    expect(violations(importsOf("src/http/admin-page.ts", 'import { api } from "../admin-ui/api";\n', ROOT))).toEqual([
      "src/http/admin-page.ts -> src/admin-ui/api.ts (the admin UI is a browser bundle: nothing of the server imports it)",
    ]);
    expect(violations(importsOf("src/admin-ui/api.ts", 'import { DELIVERY_STATES } from "../admin-views";\nimport { log } from "../log";\n', ROOT))).toEqual([
      "src/admin-ui/api.ts -> src/admin-views.ts (the admin UI imports of the server only the types of src/admin-views.ts)",
      "src/admin-ui/api.ts -> src/log.ts (the admin UI imports of the server only the types of src/admin-views.ts)",
    ]);
  });

  it("finds a cycle of two modules, and a module importing itself", () => {
    const loop = [...importsOf("src/events/a.ts", 'import { b } from "./b";\n'), ...importsOf("src/events/b.ts", 'import { a } from "./a";\n')];
    expect(cycles(loop)).toEqual([["src/events/a.ts", "src/events/b.ts"]]);
    expect(cycles(importsOf("src/events/a.ts", 'export * from "./a";\n'))).toEqual([["src/events/a.ts"]]);
  });

  it("finds an upward side-effect import, a cycle through require and a re-export in .js/.mjs files, and a type-only cycle of admin pages, in a fixture tree", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "layers-"));
    const files: Record<string, string> = {
      "src/store/a.ts": 'import "../http/b";\n',
      "src/http/b.ts": 'const c = require("./c.mjs");\n',
      "src/http/c.mjs": 'export * from "./b";\n',
      "src/http/d.js": 'import "./e.js";\n', // ./e.js names e.ts, as TypeScript resolves it
      "src/http/e.ts": "export const e = 1;\n",
      "src/admin-ui/main.tsx": 'import { SettingsPage } from "./SettingsPage";\n',
      "src/admin-ui/SettingsPage.tsx": 'import type { PageProps } from "./main";\n',
      "src/generated/client.ts": 'import "../http/b";\n', // generated code is not read
    };
    try {
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
      }
      expect(sourceFiles(root)).toEqual([
        "src/admin-ui/SettingsPage.tsx",
        "src/admin-ui/main.tsx",
        "src/http/b.ts",
        "src/http/c.mjs",
        "src/http/d.js",
        "src/http/e.ts",
        "src/store/a.ts",
      ]);
      const graph = moduleGraph(root);
      expect(graph).toContainEqual({ from: "src/http/d.js", to: "src/http/e.ts", typeOnly: false });
      expect(violations(graph)).toEqual(["src/store/a.ts -> src/http/b.ts (store imports http, a higher layer)"]);
      expect(cycles(graph)).toEqual([
        ["src/admin-ui/SettingsPage.tsx", "src/admin-ui/main.tsx"],
        ["src/http/b.ts", "src/http/c.mjs"],
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails on a module in no layer, and on a README list that differs from the table", () => {
    expect(unplaced(["src/store/shops.ts", "src/context.ts", "src/admin-ui/main.tsx", "src/stray.ts"])).toEqual(["src/stray.ts"]);
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readmeLayerListIn(readme.replace("2. messages (`messages/`)", "2. messages (`messages/`, `policy/`)"))).not.toBe(readmeLayerList());
    expect(readmeLayerListIn("no list here")).toBeNull();
  });
});
