/** Bad input to a CLI command: printed as one line, exit code 2. */
export class UsageError extends Error {
  readonly name = "UsageError";
}

/** Parses `--name value` pairs and bare `--flag`s; anything else is a UsageError. */
export function parseFlags(argv: string[], booleans: readonly string[] = []): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq > 0) out[name] = arg.slice(eq + 1);
    else if (booleans.includes(name)) out[name] = true;
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      out[name] = value;
      i++;
    }
  }
  return out;
}
