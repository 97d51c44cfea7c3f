import pino from "pino";

/**
 * The app's structured logger. Lines carry shop, topic and event id through child loggers; never
 * a secret or a customer's personal data (the redact list is the safety net, not the method).
 */
export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ["secret", "joinchatSecret", "accessToken", "email", "phone", "*.email", "*.phone", "headers.authorization"],
      censor: "[redacted]",
    },
  });
}
