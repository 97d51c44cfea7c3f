// `npm run cli -- <command> ...`: the operator CLI (see README). Bad input exits 2 with one line.
import fs from "node:fs";
import { loadConfig } from "../config/env";
import { createContext } from "../create-context";
import { createLogger } from "../log";
import { openDatabase } from "../store/db";
import { AppError } from "../errors";
import { commandHelp } from "./args";
import { cliHelp, COMMANDS } from "./registry";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(cliHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")} (see --help)`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(commandHelp(name, command.summary, command.flags));
    return 0;
  }
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const log = createLogger("silent");
  const database = await openDatabase(config.DATABASE_URL, log);
  try {
    const ctx = createContext(config, database, log);
    await command.run(ctx, rest, (line) => console.log(line));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    // Every expected failure is an AppError: one line, exit 2 for what the operator can fix
    // (input, configuration, the key), 1 for a message the outside did not take.
    if (err instanceof AppError) {
      console.error(err.operatorFixable ? `error: ${err.message}` : `error: not sent: ${err.message}`);
      process.exit(err.operatorFixable ? 2 : 1);
    }
    console.error(err);
    process.exit(1);
  },
);
