// Writes each provider's schema.prisma from prisma/models.prisma: one data model, two databases.
// Run by `npm run prisma:schemas`; the test suite checks the written files are current.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");

export function schemaFor(provider) {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(root, "prisma/sqlite/schema.prisma"), schemaFor("sqlite"));
  writeFileSync(join(root, "prisma/postgresql/schema.prisma"), schemaFor("postgresql"));
}
