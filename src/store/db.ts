import fs from "node:fs";
import path from "node:path";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client";
import { providerOf, sqliteFileOf, type Provider } from "./database-url";

/**
 * The Prisma client. Both generated clients share one data model (prisma/models.prisma), so the
 * SQLite client's type stands for both; the few raw SQL statements branch on `provider`.
 */
export type Db = SqliteClient;

export interface Database {
  db: Db;
  provider: Provider;
  close(): Promise<void>;
}

export async function openDatabase(url: string): Promise<Database> {
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = sqliteFileOf(url);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 10_000 }) });
    // WAL lets readers (healthz, CLI) run beside the writer; NORMAL sync is durable across a
    // process crash, which is what the app promises (a power cut may lose the last commit).
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    return { db, provider, close: () => db.$disconnect() };
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const db = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as unknown as Db;
  return { db, provider, close: () => db.$disconnect() };
}
