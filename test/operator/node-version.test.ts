import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const { nodeVersionProblem, minimum } = require("../../scripts/require-node.cjs") as { nodeVersionProblem: (v: string) => string | null; minimum: string };

const REFUSAL = /^Node\.js (\S+) is too old for this app: it needs Node\.js 22\.12 or newer \(24 LTS is what it is tested on; see the README\)\.$/;

/** Runs `node <args>` as `npm start` would, with `process.versions.node` reading `fake` when given. */
function run(args: string[], o: { node?: string; fake?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const pre: string[] = [];
  if (o.fake) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "jc-node-")), "fake-version.cjs");
    fs.writeFileSync(file, `Object.defineProperty(process.versions, "node", { value: ${JSON.stringify(o.fake)} });\n`);
    pre.push("--require", file);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jc-node-db-"));
  const r = spawnSync(o.node ?? process.execPath, [...pre, ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: `file:${path.join(dir, "app.db")}`, PORT: "0" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Node binary older than the floor on this machine (e.g. the distribution's /usr/bin/node), if any. */
function oldNode(): string | null {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (!fs.existsSync(candidate)) continue;
    const version = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
    if (nodeVersionProblem(version)) return candidate;
  }
  return null;
}

describe("the Node.js floor (package.json engines, 22.12)", () => {
  it("is package.json's engines.node", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(">=22.12");
    expect(minimum).toBe("22.12");
  });

  it("accepts 22.12 and newer, refuses anything older", () => {
    for (const v of ["22.12.0", "22.20.1", "23.0.0", "24.11.1", "26.0.0"]) expect(nodeVersionProblem(v)).toBeNull();
    for (const v of ["22.11.0", "22.0.0", "20.19.5", "18.20.8"]) expect(nodeVersionProblem(v)).toMatch(REFUSAL);
  });

  it("npm start's first step (scripts/migrate.mjs) and the app (dist/main.js) refuse Node 22.11 with one line, before touching the database", () => {
    for (const script of ["scripts/migrate.mjs", "dist/main.js"]) {
      const r = run([script], { fake: "22.11.0" });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toEqual(["Node.js 22.11.0 is too old for this app: it needs Node.js 22.12 or newer (24 LTS is what it is tested on; see the README)."]);
    }
  });

  it("scripts/migrate.mjs runs on the Node the tests run on", () => {
    const r = run(["scripts/migrate.mjs"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  const old = oldNode();
  (old ? it : it.skip)(`a real older Node (${old ?? "none on this machine"}) is refused by both, with one line`, () => {
    for (const script of ["scripts/migrate.mjs", "dist/main.js"]) {
      const r = run([script], { node: old! });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(REFUSAL);
    }
  });
});
