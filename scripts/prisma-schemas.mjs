// Writes each provider's schema.prisma from prisma/models.prisma: one data model, two databases.
// Run by `npm run prisma:schemas`; the test suite runs it with --check.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");

function schemaFor(provider) {
  const dir = provider === "sqlite" ? "sqlite" : "postgresql";
  return `// Written by scripts/prisma-schemas.mjs from prisma/models.prisma: do not edit.
generator client {
  provider        = "prisma-client"
  engineType      = "client"
  output          = "../../src/generated/${dir}"
  moduleFormat    = "cjs"
}

datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}

${models}`;
}

// `--check`: exit 1, naming the stale file, instead of writing.
const check = process.argv.includes("--check");
for (const [provider, dir] of [
  ["sqlite", "sqlite"],
  ["postgresql", "postgresql"],
]) {
  const file = join(root, "prisma", dir, "schema.prisma");
  if (!check) writeFileSync(file, schemaFor(provider));
  else if (readFileSync(file, "utf8") !== schemaFor(provider)) {
    console.error(`prisma/${dir}/schema.prisma is stale: run npm run prisma:schemas`);
    process.exit(1);
  }
}
