import { z } from "zod";

/** Environment, parsed once. The only module that reads process.env. */
const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(10),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(10_000),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).default(5_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(100_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses an environment; an invalid value throws one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const shown = name === "DATABASE_URL" ? "" : ` (got ${JSON.stringify(cleaned[name])})`;
    throw new ConfigError(`Invalid configuration: ${name}${shown}: ${issue.message}`);
  }
  return result.data;
}

let loaded: Config | undefined;

export function loadConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
