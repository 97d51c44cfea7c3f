// `npm run migrate`: apply pending migrations to DATABASE_URL's database (SQLite by default).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

if (existsSync(".env") && !process.env.DATABASE_URL) process.loadEnvFile(".env");
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: process.env,
  encoding: "utf8",
});
if (result.status !== 0) {
  process.stderr.write(result.stdout + result.stderr);
  console.error("Migrations failed: the database was left as it was.");
  process.exit(result.status ?? 1);
}
const applied = /The following migration\(s\) have been applied/.test(result.stdout);
console.log(applied ? "Database migrations applied." : "Database is up to date.");
