import { AppError, RequestError } from "../errors";

/**
 * The HTTP answer of an expected error, decided in one place: a refused request says its own
 * status; a bad signature is 401; input that breaks a rule 400; a server not yet configured
 * (configuration, the encryption key) 503. Null for anything unexpected (the caller logs it, 500).
 */
export function httpAnswerOf(err: unknown): { status: number; body: { error: string; field?: string; errors?: { field: string; message: string }[] } } | null {
  if (!(err instanceof AppError)) return null;
  if (err instanceof RequestError) {
    const problems = err.problems ? { errors: [...err.problems] } : {};
    return { status: err.status, body: { error: err.message, ...(err.field ? { field: err.field } : {}), ...problems } };
  }
  const status: Record<string, number> = { invalid_signature: 401, message_limit: 400, invalid_amount: 400, usage: 400, config: 503, encryption_key: 503 };
  return { status: status[err.code] ?? 500, body: { error: err.message } };
}
