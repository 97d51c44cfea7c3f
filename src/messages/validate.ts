import type { z } from "zod";
import { sendBodySchema, type WireSendBody } from "./schema";
import { AppError } from "../errors";

/** A message body that breaks one of JoinChat's rules; `field` is a dotted path, `rule` the rule broken. */
export class MessageLimitError extends AppError {
  readonly code = "message_limit";
  readonly operatorFixable = true;
  readonly name = "MessageLimitError";
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly problems: { field: string; rule: string }[] = [{ field, rule }],
  ) {
    super(`${field}: ${rule}`);
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "body" : out;
}

/** The rule an issue breaks, in the words of JOINCHAT_API.md rather than zod's ("Invalid input: ..."). */
function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    const options = (issue as { options?: unknown[] }).options;
    return options?.length ? `must be one of ${options.join(", ")}` : "unknown kind";
  }
  if (issue.code === "invalid_value" && issue.message.startsWith("Invalid")) {
    return `must be one of ${issue.values.map(String).join(", ")}`;
  }
  // Custom messages (e.g. "must be a whole number of seconds") stay; zod's generic ones are replaced.
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
    if ("input" in issue && issue.input === undefined) return "required";
    return `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
  }
  return issue.message;
}

/** Parses a body as JoinChat reads it (JSON.parse of the bytes) into one it accepts, or throws MessageLimitError naming every broken rule. */
export function parseSendBody(input: unknown): WireSendBody {
  // reportInput tells a missing field (input undefined) from a wrong type; inputs are not passed on.
  const result = sendBodySchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ field: fieldPath(issue.path), rule: ruleOf(issue) }));
  const first = problems[0]!;
  const err = new MessageLimitError(first.field, first.rule, problems);
  if (problems.length > 1) err.message = problems.map((p) => `${p.field}: ${p.rule}`).join("; ");
  throw err;
}
