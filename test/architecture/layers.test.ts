import fs from "node:fs";
import path from "node:path";
import { cycles, importsOf, sourceFiles, violations, type Import } from "./layers";

const ROOT = path.resolve(__dirname, "../..");

describe("one-way layers (src/)", () => {
  const cwd = process.cwd();
  let imports: Import[];
  beforeAll(() => {
    process.chdir(ROOT);
    imports = sourceFiles(".").flatMap((f) => {
      const file = f.replace(/^\.\//, "");
      return importsOf(file, fs.readFileSync(file, "utf8"));
    });
  });
  afterAll(() => process.chdir(cwd));

  it("reads the imports of every module", () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ from: "src/events/processor.ts", to: "src/automations/contract.ts", typeOnly: false });
  });

  it("has no import against the layer order: no store module imports from above it, nothing imports http", () => {
    expect(violations(imports)).toEqual([]);
  });

  it("has no cycle between any modules", () => {
    expect(cycles(imports)).toEqual([]);
  });

  it("the admin UI bundle imports of the server only the types of its answers (src/admin-views.ts)", () => {
    const ui = fs.readdirSync("src/admin-ui").filter((f) => /\.tsx?$/.test(f));
    const outside = ui.flatMap((f) => importsOf(`src/admin-ui/${f}`, fs.readFileSync(`src/admin-ui/${f}`, "utf8"))).filter((i) => !i.to.startsWith("src/admin-ui/"));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((i) => !(i.typeOnly && i.to === "src/admin-views.ts"))).toEqual([]);
  });

  it("the views the admin page types itself by import only types", () => {
    expect(importsOf("src/admin-views.ts", fs.readFileSync("src/admin-views.ts", "utf8")).filter((i) => !i.typeOnly)).toEqual([]);
  });
});

describe("the layer check itself", () => {
  it("fails on a deliberately wrong import: a store module importing from http", () => {
    const wrong = importsOf("src/store/shops.ts", 'import { metricsRoutes } from "../http/metrics";\n');
    expect(violations(wrong)).toEqual(["src/store/shops.ts -> src/http/metrics.ts (store imports http, a higher layer)"]);
  });

  it("fails on a value import of the context, and allows its types", () => {
    expect(violations(importsOf("src/store/links.ts", 'import { systemClock } from "../context";\n'))).toEqual([
      "src/store/links.ts -> src/context.ts (only types may be imported from the context)",
    ]);
    expect(violations(importsOf("src/store/links.ts", 'import type { AppContext } from "../context";\nimport { type Clock } from "../context";\n'))).toEqual([]);
  });

  it("finds a cycle of two modules", () => {
    const loop = [...importsOf("src/events/a.ts", 'import { b } from "./b";\n'), ...importsOf("src/events/b.ts", 'import { a } from "./a";\n')];
    expect(cycles(loop)).toEqual([["src/events/a.ts", "src/events/b.ts"]]);
  });
});
