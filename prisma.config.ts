import path from "node:path";
import fs from "node:fs";
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL, providerOf, sqliteFileOf } from "./src/config/database-url";

// The CLI looks for native engines before it reads anything else; none are used (see the script).
const noEngine = path.join(__dirname, "scripts", "no-native-engine.js");
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= noEngine;
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= noEngine;
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";

const url = (process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL);
const provider = providerOf(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", provider, "schema.prisma"),
  migrations: { path: path.join("prisma", provider, "migrations") },
  async adapter() {
    if (provider === "sqlite") {
      const file = sqliteFileOf(url);
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
      return new PrismaBetterSQLite3({ url: file });
    }
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { withCatalogTypes } = await import("./src/store/pg-migration-adapter");
    return withCatalogTypes(new PrismaPg({ connectionString: url }));
  },
});
