/**
 * A refused input as the merchant reads it: every problem at once, each with the path of its field
 * ("abandonedDelaysMinutes.2", "signupReward.storeCredit.amount") and a message in plain words.
 * zod's own wording ("Invalid input: expected number, received null") never reaches a form: a
 * schema's messages are kept, and where a schema names none, zod's issue is said in words here.
 */
import type { z } from "zod";

export interface FieldProblem {
  /** The input's path, dots between its parts; "" for the input as a whole. */
  field: string;
  message: string;
}

const KIND: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  boolean: "on or off (true or false)",
  string: "text",
  array: "a list",
  object: "a group of settings",
};
const UNIT: Record<string, string> = { string: " characters", array: " items" };
const figure = (n: number | bigint) => Number(n).toLocaleString("en-US");

/**
 * The words for an issue whose schema gave none (zod calls this for those only: a schema's own
 * message wins). Undefined leaves zod's, for an issue this does not know.
 */
export const plainWords: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return `must be ${KIND[issue.expected] ?? issue.expected}`;
    case "too_big":
      return `must be at most ${figure(issue.maximum as number)}${UNIT[issue.origin] ?? ""}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      return issue.inclusive === false ? `must be above ${figure(issue.minimum as number)}` : `must be at least ${figure(issue.minimum as number)}${UNIT[issue.origin] ?? ""}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map(String).join(", ")}`;
    case "invalid_format":
      return issue.format === "url" ? "must be a web address (https://…)" : "is not in the form expected here";
    case "unrecognized_keys":
      return "is not a setting the app knows";
    default:
      return undefined;
  }
};

/** Every issue of a failed parse as problems by field; an unknown key is a problem of its own path. */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ field: [...at, k].join("."), message: issue.message }));
    return [{ field: at.join("."), message: issue.message }];
  });
}

/** `input` parsed with `schema`, or every problem it has, in words. */
export function parseWithProblems<T>(schema: z.ZodType<T>, input: unknown): { ok: true; data: T } | { ok: false; problems: FieldProblem[] } {
  const r = schema.safeParse(input, { error: plainWords });
  return r.success ? { ok: true, data: r.data } : { ok: false, problems: problemsOf(r.error) };
}
