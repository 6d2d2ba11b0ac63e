import { pino, type Logger } from "pino";

/** JSON logs. Never log variables or personal data: callers pass ids and counts only. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "xiangxi-fupin-api" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["*.password", "*.headIdNumber", "*.authorization", "*.variables"], censor: "[redacted]" },
  });
}
