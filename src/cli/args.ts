import { parseArgs } from "node:util";
import { AppError } from "../errors";

/** Bad input to a CLI command: printed as one line, exit code 2. */
export class UsageError extends AppError {
  readonly code = "usage";
  readonly operatorFixable = true;
  readonly name = "UsageError";
}

/** One flag of a command, as its --help shows it. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** `<id>`-style placeholder of the value, for string flags. */
  value?: string;
  description: string;
}

export type Flags = Record<string, string | boolean | undefined>;

/** The flag closest to a mistyped one (`--coupon_code`, `--pageid`), if any is close. */
function closest(name: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
  return known.find((k) => norm(k) === norm(name)) ?? known.find((k) => k.startsWith(name) || name.startsWith(k));
}

/**
 * Parses a command's flags with node:util's parseArgs, strictly: an unknown or mistyped flag, a
 * missing value or a stray argument is a UsageError naming it, in one line.
 */
export function parseCommandFlags(argv: string[], spec: Record<string, FlagSpec>): Flags {
  try {
    const { values } = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(spec).map(([name, f]) => [name, { type: f.type }])),
      strict: true,
      allowPositionals: false,
    });
    return values as Flags;
  } catch (err) {
    const e = err as Error & { code?: string };
    const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? "";
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const name = quoted.replace(/^-+/, "");
      const guess = closest(name, Object.keys(spec));
      throw new UsageError(`unknown flag ${quoted}${guess ? ` (did you mean --${guess}?)` : ""}; see --help`);
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const flag = quoted.split(" ")[0];
      throw new UsageError(`${flag} needs a value (write ${flag}=<value> for one that starts with -)`);
    }
    if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError(`unexpected argument "${quoted}"; flags are written --name value`);
    throw new UsageError(e.message.split("\n")[0]!);
  }
}

/** A command's --help: what it does, then each flag. */
export function commandHelp(name: string, summary: string, spec: Record<string, FlagSpec>): string {
  const flags = Object.entries(spec).map(([flag, f]) => [`--${flag}${f.value ? ` ${f.value}` : ""}`, f.description] as const);
  const width = Math.max(...flags.map(([f]) => f.length), 6);
  return [`usage: npm run cli -- ${name} [flags]`, "", summary, "", ...flags.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`), `  ${"--help".padEnd(width)}  this text`].join("\n");
}
