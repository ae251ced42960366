import { z } from "zod";
import { parseAllowedHosts } from "./lib/outbound/destination.ts";

/** Treats an empty variable as unset, so `FOO=` in a .env file falls back to the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const booleanFlag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const ConfigSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"])).default("development"),
  HOST: optional(z.string()).default("0.0.0.0"),
  PORT: optional(z.coerce.number().int().min(0).max(65535)).default(3000),
  LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])).default("info"),
  DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/ })),
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(500)).default(20),
  KEEL_DATA_DIR: optional(z.string()).default("./data"),
  KEEL_DEMO: optional(booleanFlag),
  SESSION_TTL_HOURS: optional(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90),
  ).default(24 * 14),
  SESSION_IDLE_HOURS: optional(
    z.coerce
      .number()
      .positive()
      .max(24 * 90),
  ).default(12),
  COOKIE_SECURE: optional(booleanFlag),
  CORS_ORIGINS: optional(z.string()),
  WORKSPACES_PER_USER: optional(z.coerce.number().int().min(1).max(10_000)).default(5),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/ })),
  MAIL_FROM: optional(z.string().min(3).max(320)).default("Keel <keel@localhost>"),
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  ENCRYPTION_KEY: optional(
    z
      .string()
      .regex(
        /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
        "must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)",
      ),
  ),
  SIGN_UP: optional(booleanFlag).default(true),
  RATE_LIMIT_API_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)).default(100),
  RATE_LIMIT_AUTH_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)).default(10),
  RATE_LIMIT_EXPORT_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1_000_000)).default(5),
  TRUST_PROXY: optional(booleanFlag).default(false),
  BODY_LIMIT_BYTES: optional(z.coerce.number().int().min(1024)).default(1024 * 1024),
  IDLE_TIMEOUT_SECONDS: optional(z.coerce.number().min(1).max(3600)).default(60),
  WORKERS: optional(booleanFlag).default(true),
  WEBHOOK_ALLOWED_HOSTS: optional(z.string()),
  SSO_ALLOWED_HOSTS: optional(z.string()),
  WEBHOOK_RETRY_BASE_SECONDS: optional(z.coerce.number().positive().max(86_400)).default(60),
  OUTBOX_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)).default(7),
  METRICS: optional(booleanFlag).default(false),
  METRICS_TOKEN: optional(z.string().min(16, "must be at least 16 characters (openssl rand -hex 32)")),
  METRICS_HOST: optional(z.string()).default("127.0.0.1"),
  METRICS_PORT: optional(z.coerce.number().int().min(1).max(65535)),
});

/** Keel's whole configuration, parsed once from the environment and frozen. */
export type Config = Readonly<{
  env: "development" | "production" | "test";
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** A PostgreSQL server; when absent Keel uses embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  /**
   * Demo mode seeds the demo workspace on first start and lists its accounts on sign-in. On unless
   * NODE_ENV=production; in production only when KEEL_DEMO=true says so.
   */
  isDemo: boolean;
  /** Absolute lifetime of a session. */
  sessionTtlHours: number;
  /** A session unused this long ends. */
  sessionIdleHours: number;
  /** Secure session cookies: always, never, or only on requests that came over HTTPS. */
  cookieSecure: boolean | "when-https";
  /** Other origins (scheme://host[:port]) whose pages may call the API with the session cookie. */
  corsOrigins: readonly string[];
  /** How many workspaces one user may create. */
  workspacesPerUser: number;
  /** An SMTP server for e-mail (`smtp://user:pass@host:port`); none: e-mails go to the admins' outbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The address users reach Keel at, for links in e-mails; none: taken from each request. */
  publicUrl: string | undefined;
  /**
   * The AES-256 key that encrypts stored secrets (TOTP secrets, SSO client secrets); none: a key
   * generated once into `dataDir/encryption.key`. Hosts sharing one database need the same key.
   */
  encryptionKey: string | undefined;
  /** Whether anyone may create an account and a workspace with POST /auth/sign-up. */
  signUp: boolean;
  /** Redis for state shared by several processes (rate-limit counters); none: kept in memory. */
  redisUrl: string | undefined;
  /** Requests per minute: API calls per user or API key, sign-in and other account actions per IP and account, exports. 0: no limit. */
  rateLimits: Readonly<{ apiPerMinute: number; authPerMinute: number; exportPerMinute: number }>;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /**
   * A request whose body stops arriving for this long loses its connection (http/stalled-bodies.ts):
   * a client that opens many and never finishes them does not hold sockets for ever.
   */
  idleTimeoutMs: number;
  /**
   * Whether `keel serve` also runs the background jobs (queue workers and loops). false: it only
   * enqueues them, and `keel worker` processes (PostgreSQL only) run them.
   */
  shouldRunWorkers: boolean;
  /** Webhook receivers allowed whatever they resolve to (WEBHOOK_ALLOWED_HOSTS: host names or IP addresses). */
  webhookAllowedHosts: readonly string[];
  /**
   * SSO providers allowed whatever they resolve to, and over plain http (SSO_ALLOWED_HOSTS: host
   * names or IP addresses): a company's own provider on its network, one run locally.
   */
  ssoAllowedHosts: readonly string[];
  /** The first wait between webhook delivery attempts, in seconds; later waits are multiples of it. */
  webhookRetryBaseSeconds: number;
  /** How long published events are kept in the outbox (at least as long as their deliveries are retried). */
  outboxRetentionDays: number;
  /**
   * Prometheus metrics at `/metrics` (off unless METRICS=true). With `port`, on a listener of
   * their own at `host:port` and not on the main port; `token`: callers must send it as
   * `Authorization: Bearer`. In production one of the two is required.
   */
  metrics: Readonly<{ isEnabled: boolean; token: string | undefined; host: string; port: number | undefined }>;
}>;

/** Parses CORS_ORIGINS: comma-separated origins; returns the problems of the bad ones. */
function parseOrigins(text: string | undefined): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const item of (text ?? "").split(",").map((part) => part.trim())) {
    if (!item) continue;
    let origin: string | null = null;
    try {
      const url = new URL(item);
      if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === item.replace(/\/$/, "")) {
        origin = url.origin;
      }
    } catch {
      // reported below
    }
    if (origin) origins.push(origin);
    else problems.push(`CORS_ORIGINS: "${item}" is not an origin such as https://crm.example.com`);
  }
  return { origins, problems };
}

/**
 * Metrics tell how busy Keel is, which routes exist and how far the outbox lags: in production
 * they are never served to anyone who can reach the main port. METRICS=true there needs a token
 * or a listener of their own (by default on the loopback interface only).
 */
function checkMetrics(values: z.infer<typeof ConfigSchema>, isProduction: boolean): string[] {
  if (!values.METRICS) return [];
  const problems: string[] = [];
  if (isProduction && !values.METRICS_TOKEN && values.METRICS_PORT === undefined) {
    problems.push(
      "METRICS: METRICS=true in production needs METRICS_TOKEN (callers send it as Authorization: Bearer) " +
        "or METRICS_PORT (metrics on a listener of their own, on METRICS_HOST, by default 127.0.0.1)",
    );
  }
  if (values.METRICS_PORT !== undefined && values.METRICS_PORT === values.PORT) {
    problems.push("METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on the main port)");
  }
  return problems;
}

/**
 * Links in e-mails (password reset, e-mail verification, invitations) and SSO redirect addresses
 * are built from PUBLIC_URL. Without it they would be built from each request's Host header, which
 * whoever sends the request chooses: a forgot-password request with `Host: attacker.example` would
 * mail the victim a reset link to the attacker's site. Fine on a developer's machine, never in
 * production.
 */
function checkPublicUrl(values: z.infer<typeof ConfigSchema>, isProduction: boolean): string[] {
  if (!isProduction || values.PUBLIC_URL) return [];
  return [
    "PUBLIC_URL: required in production: the address people reach Keel at (e.g. https://crm.example.com). " +
      "Links in e-mails and SSO redirects are built from it, never from a request's Host header, which a caller chooses",
  ];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parses an environment (normally `process.env`) into a Config, listing every problem at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const values = result.data;
  const cors = parseOrigins(values.CORS_ORIGINS);
  if (cors.problems.length > 0) throw new ConfigError(cors.problems);
  const isProduction = values.NODE_ENV === "production";
  const problems = [...checkMetrics(values, isProduction), ...checkPublicUrl(values, isProduction)];
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    env: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    dataDir: values.KEEL_DATA_DIR,
    // Demo accounts have a published password: never in production unless asked for.
    isDemo: values.KEEL_DEMO ?? !isProduction,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    sessionIdleHours: values.SESSION_IDLE_HOURS,
    // Production sits behind TLS; elsewhere a request that came over HTTPS still gets a Secure cookie.
    cookieSecure: values.COOKIE_SECURE ?? (isProduction ? true : "when-https"),
    corsOrigins: Object.freeze(cors.origins),
    workspacesPerUser: values.WORKSPACES_PER_USER,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    publicUrl: values.PUBLIC_URL?.replace(/\/$/, ""),
    encryptionKey: values.ENCRYPTION_KEY,
    signUp: values.SIGN_UP,
    redisUrl: values.REDIS_URL,
    rateLimits: Object.freeze({
      apiPerMinute: values.RATE_LIMIT_API_PER_MINUTE,
      authPerMinute: values.RATE_LIMIT_AUTH_PER_MINUTE,
      exportPerMinute: values.RATE_LIMIT_EXPORT_PER_MINUTE,
    }),
    trustProxy: values.TRUST_PROXY,
    bodyLimitBytes: values.BODY_LIMIT_BYTES,
    idleTimeoutMs: values.IDLE_TIMEOUT_SECONDS * 1000,
    shouldRunWorkers: values.WORKERS,
    webhookAllowedHosts: Object.freeze(parseAllowedHosts(values.WEBHOOK_ALLOWED_HOSTS)),
    ssoAllowedHosts: Object.freeze(parseAllowedHosts(values.SSO_ALLOWED_HOSTS)),
    webhookRetryBaseSeconds: values.WEBHOOK_RETRY_BASE_SECONDS,
    outboxRetentionDays: values.OUTBOX_RETENTION_DAYS,
    metrics: Object.freeze({
      isEnabled: values.METRICS,
      token: values.METRICS_TOKEN,
      host: values.METRICS_HOST,
      port: values.METRICS_PORT,
    }),
  });
}

/** Reads the process environment; on bad configuration prints every problem and exits non-zero. */
export function loadConfig(): Config {
  try {
    // eslint-disable-next-line n/no-process-env -- the one place that reads the environment
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
