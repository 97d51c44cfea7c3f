import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";

/** The project's root, whose shopify.app.toml and extensions/ the Shopify CLI reads. */
export const ROOT = path.resolve(__dirname, "../..");

/** The Shopify CLI installed as a devDependency (package.json pins the exact 4.x version). */
const CLI_BIN = path.join(ROOT, "node_modules/@shopify/cli/bin/run.js");

export interface CliRun {
  code: number;
  /** stdout and stderr together, as a developer reads them in a terminal. */
  output: string;
}

/**
 * Runs `shopify <args>` offline: a HOME of its own (no login, no cached session or settings of the
 * machine's user), CI set (no prompts), no analytics. Only commands that need no login can pass.
 */
export function shopify(args: string[], home: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      {
        cwd: home,
        timeout: 120_000,
        env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), CI: "1", SHOPIFY_CLI_NO_ANALYTICS: "1", NO_COLOR: "1" },
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/**
 * A copy of the app as `shopify app build` reads it (shopify.app.toml, extensions/, package.json)
 * in a temp dir, with `edit` applied to one of its files ("old" replaced by "new", which must be
 * there): the CLI writes its .shopify/ state into the copy, never into the project.
 */
export function appCopy(edit?: { file: string; old: string; new: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "joinchat-cli-"));
  for (const entry of ["shopify.app.toml", "package.json", "extensions"]) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  if (edit) {
    const file = path.join(dir, edit.file);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(edit.old)) throw new Error(`${edit.file} has no ${JSON.stringify(edit.old)} to break`);
    fs.writeFileSync(file, text.replace(edit.old, edit.new));
  }
  return dir;
}

/** One theme-check offence as `shopify theme check --output json` reports it. */
export interface ThemeCheckOffence {
  path: string;
  check: string;
  severity: string;
  message: string;
}

/**
 * `shopify theme check` on a theme app extension, with theme-check's own config for theme app
 * extensions (`theme-check:theme-app-extension`, what `shopify app build` and deploy run), every
 * severity counted: the offences, and the CLI's exit code.
 */
export async function themeCheck(extensionDir: string, home: string): Promise<{ code: number; offences: ThemeCheckOffence[]; output: string }> {
  const run = await shopify(["theme", "check", "--path", extensionDir, "--config", "theme-check:theme-app-extension", "--output", "json", "--fail-level", "suggestion"], home);
  const json = run.output.slice(run.output.indexOf("["), run.output.lastIndexOf("]") + 1);
  const files = JSON.parse(json) as { path: string; offenses: Omit<ThemeCheckOffence, "path">[] }[];
  return {
    code: run.code,
    offences: files.flatMap((f) => f.offenses.map((o) => ({ path: path.relative(extensionDir, f.path), check: o.check, severity: o.severity, message: o.message }))),
    output: run.output,
  };
}
