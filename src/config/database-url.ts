/** Which database a DATABASE_URL selects. Shared by the app and prisma.config.ts. */
export type Provider = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/app.db";

export function providerOf(url: string): Provider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.split(":")[0]}:..."`);
}

/** The SQLite file a file: URL names, relative paths taken from the working directory. */
export function sqliteFileOf(url: string): string {
  return url.slice("file:".length).replace(/^\/\//, "");
}
