import type { Config } from "./config/env";

/** What a driver adapter said, where Prisma keeps it (PrismaClientKnownRequestError.meta). */
interface AdapterCause {
  kind?: string;
  host?: string;
  port?: number;
  db?: string;
  originalCode?: string;
  originalMessage?: string;
}

/**
 * The operator's one line for what stops the app at start: the port taken, the database not
 * there or not reachable, the SQLite file locked by another process or read-only. Null for
 * anything else (the caller prints its first line, and its stack at LOG_LEVEL=debug).
 */
export function startupProblem(err: unknown, config: Config): string | null {
  const e = err as { code?: string; message?: string; port?: number; meta?: { driverAdapterError?: { cause?: AdapterCause } } };
  const cause = e.meta?.driverAdapterError?.cause;
  const message = e.message ?? "";
  // A listen error names its port: PORT's, or METRICS_PORT's (a ROLE=worker process listens on that one alone).
  const port = e.port ?? config.PORT;
  const portVariable = config.ROLE !== "worker" && port === config.PORT ? "PORT" : "METRICS_PORT";
  if (e.code === "EADDRINUSE") return `port ${port} is in use by another process: stop it, or set ${portVariable} to a free port`;
  if (e.code === "EACCES" && /listen/.test(message)) return `port ${port} needs privileges this process lacks: set ${portVariable} above 1023`;
  if (e.code === "P1001" || cause?.kind === "DatabaseNotReachable" || e.code === "ECONNREFUSED") {
    return `cannot reach the PostgreSQL server${cause?.host ? ` at ${cause.host}:${cause.port}` : ""}: start it, or fix DATABASE_URL`;
  }
  if (e.code === "P1003" || cause?.kind === "DatabaseDoesNotExist" || cause?.originalCode === "3D000") {
    const db = cause?.db ?? "named in DATABASE_URL";
    return `the PostgreSQL database "${db}" does not exist: create it (createdb ${db}) or fix DATABASE_URL, then npm run migrate`;
  }
  if (cause?.kind === "AuthenticationFailed" || cause?.originalCode === "28P01") return "PostgreSQL refused the user or password in DATABASE_URL";
  if (e.code === "SQLITE_BUSY" || /database is locked|SQLITE_BUSY/.test(message) || cause?.kind === "SocketTimeout") {
    return "the SQLite database file is in use by another process (database is locked): stop that process, or point DATABASE_URL at another file";
  }
  if (/^SQLITE_READONLY/.test(e.code ?? "") || /readonly database/.test(message)) {
    return "the SQLite database file is read-only (attempt to write a readonly database): let this process write the file and its folder, or point DATABASE_URL at another file";
  }
  if (e.code === "SQLITE_CANTOPEN" || /unable to open database file/.test(message))
    return "the SQLite database file cannot be opened: check DATABASE_URL's folder exists and is writable";
  if (/no such table/.test(message)) return "the database has no tables yet: run npm run migrate (npm start does it first)";
  return null;
}
