import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config.ts";

/** The problems parseConfig reports for an environment, or [] when it parses. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** Production as every production configuration must have it (PUBLIC_URL is required there). */
const production = { NODE_ENV: "production", PUBLIC_URL: "https://crm.example.com" } as const;
describe("parseConfig", () => {
  it("makes the session cookie Secure in production, and elsewhere on requests that came over HTTPS", () => {
    expect(parseConfig({ ...production }).cookieSecure).toBe(true);
    expect(parseConfig({ ...production, COOKIE_SECURE: "false" }).cookieSecure).toBe(false);
    expect(parseConfig({ NODE_ENV: "development" }).cookieSecure).toBe("when-https");
    expect(parseConfig({ NODE_ENV: "development", COOKIE_SECURE: "true" }).cookieSecure).toBe(true);
  });

  it("turns demo mode off in production unless KEEL_DEMO asks for it", () => {
    expect(parseConfig({ ...production }).isDemo).toBe(false);
    expect(parseConfig({ ...production, KEEL_DEMO: "" }).isDemo).toBe(false);
    expect(parseConfig({ ...production, KEEL_DEMO: "true" }).isDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: "development" }).isDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: "test" }).isDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: "development", KEEL_DEMO: "false" }).isDemo).toBe(false);
  });

  it("takes ENCRYPTION_KEY as 32 bytes of hex or base64 and refuses anything shorter", () => {
    const hex = "ab".repeat(32);
    expect(parseConfig({ ENCRYPTION_KEY: hex }).encryptionKey).toBe(hex);
    expect(parseConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") }).encryptionKey).toBeDefined();
    expect(parseConfig({}).encryptionKey).toBeUndefined();
    expect(problemsOf({ ENCRYPTION_KEY: "secret" })).toEqual([
      "ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)",
    ]);
  });

  it("reads CORS_ORIGINS as a list of origins and refuses anything else", () => {
    expect(parseConfig({ CORS_ORIGINS: "https://crm.example.com, http://localhost:5173" }).corsOrigins).toEqual([
      "https://crm.example.com",
      "http://localhost:5173",
    ]);
    expect(problemsOf({ CORS_ORIGINS: "https://crm.example.com/path,*,ftp://x" })).toEqual([
      'CORS_ORIGINS: "https://crm.example.com/path" is not an origin such as https://crm.example.com',
      'CORS_ORIGINS: "*" is not an origin such as https://crm.example.com',
      'CORS_ORIGINS: "ftp://x" is not an origin such as https://crm.example.com',
    ]);
  });

  it("uses the documented defaults for an empty environment", () => {
    expect(parseConfig({})).toEqual({
      env: "development",
      host: "0.0.0.0",
      port: 3000,
      logLevel: "info",
      databaseUrl: undefined,
      databasePoolSize: 20,
      dataDir: "./data",
      isDemo: true,
      sessionTtlHours: 24 * 14,
      sessionIdleHours: 12,
      cookieSecure: "when-https",
      corsOrigins: [],
      workspacesPerUser: 5,
      smtpUrl: undefined,
      mailFrom: "Keel <keel@localhost>",
      publicUrl: undefined,
      signUp: true,
      redisUrl: undefined,
      rateLimits: { apiPerMinute: 100, authPerMinute: 10, exportPerMinute: 5 },
      trustProxy: false,
      bodyLimitBytes: 1024 * 1024,
      idleTimeoutMs: 60_000,
      shouldRunWorkers: true,
      webhookAllowedHosts: [],
      ssoAllowedHosts: [],
      webhookRetryBaseSeconds: 60,
      outboxRetentionDays: 7,
      metrics: { isEnabled: false, token: undefined, host: "127.0.0.1", port: undefined },
    });
  });

  it("returns a frozen object", () => {
    const config = parseConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("coerces numbers and boolean flags from their text", () => {
    const config = parseConfig({
      ...production,
      HOST: "127.0.0.1",
      PORT: "8080",
      LOG_LEVEL: "warn",
      DATABASE_URL: "postgresql://keel:secret@db.internal:5432/keel",
      DATABASE_POOL_SIZE: "50",
      KEEL_DATA_DIR: "/var/lib/keel",
      KEEL_DEMO: "0",
      SESSION_TTL_HOURS: "8",
      COOKIE_SECURE: "true",
      TRUST_PROXY: "1",
      BODY_LIMIT_BYTES: "2048",
      IDLE_TIMEOUT_SECONDS: "90",
      SESSION_IDLE_HOURS: "0.5",
      CORS_ORIGINS: "https://crm.example.com",
      WORKSPACES_PER_USER: "20",
      REDIS_URL: "redis://cache.internal:6379",
      SMTP_URL: "smtp://mailer:secret@mail.internal:587",
      MAIL_FROM: "CRM <crm@example.com>",
      PUBLIC_URL: "https://crm.example.com/",
      SIGN_UP: "false",
      RATE_LIMIT_API_PER_MINUTE: "0",
      RATE_LIMIT_AUTH_PER_MINUTE: "20",
      RATE_LIMIT_EXPORT_PER_MINUTE: "1",
      WORKERS: "false",
    });
    expect(config).toEqual({
      env: "production",
      host: "127.0.0.1",
      port: 8080,
      logLevel: "warn",
      databaseUrl: "postgresql://keel:secret@db.internal:5432/keel",
      databasePoolSize: 50,
      dataDir: "/var/lib/keel",
      isDemo: false,
      sessionTtlHours: 8,
      sessionIdleHours: 0.5,
      cookieSecure: true,
      corsOrigins: ["https://crm.example.com"],
      workspacesPerUser: 20,
      smtpUrl: "smtp://mailer:secret@mail.internal:587",
      mailFrom: "CRM <crm@example.com>",
      publicUrl: "https://crm.example.com",
      signUp: false,
      redisUrl: "redis://cache.internal:6379",
      rateLimits: { apiPerMinute: 0, authPerMinute: 20, exportPerMinute: 1 },
      trustProxy: true,
      bodyLimitBytes: 2048,
      idleTimeoutMs: 90_000,
      shouldRunWorkers: false,
      webhookAllowedHosts: [],
      ssoAllowedHosts: [],
      webhookRetryBaseSeconds: 60,
      outboxRetentionDays: 7,
      metrics: { isEnabled: false, token: undefined, host: "127.0.0.1", port: undefined },
    });
  });

  it("reads the webhook, SSO and outbox settings: allowed hosts as lists, a fractional retry base", () => {
    const config = parseConfig({
      WEBHOOK_ALLOWED_HOSTS: " 127.0.0.1, localhost ,,crm-bridge.campus.internal",
      SSO_ALLOWED_HOSTS: "idp.campus.internal, 10.0.0.5",
      WEBHOOK_RETRY_BASE_SECONDS: "0.05",
      OUTBOX_RETENTION_DAYS: "30",
    });
    expect(config).toMatchObject({
      webhookAllowedHosts: ["127.0.0.1", "localhost", "crm-bridge.campus.internal"],
      ssoAllowedHosts: ["idp.campus.internal", "10.0.0.5"],
      webhookRetryBaseSeconds: 0.05,
      outboxRetentionDays: 30,
    });
    expect(() => parseConfig({ WEBHOOK_RETRY_BASE_SECONDS: "0" })).toThrow(/WEBHOOK_RETRY_BASE_SECONDS/);
    expect(() => parseConfig({ OUTBOX_RETENTION_DAYS: "0.5" })).toThrow(/OUTBOX_RETENTION_DAYS/);
  });

  it.each([
    ["true", true],
    ["1", true],
    ["false", false],
    ["0", false],
  ])("reads the flag %j as %j", (text, value) => {
    expect(parseConfig({ KEEL_DEMO: text, COOKIE_SECURE: text, TRUST_PROXY: text })).toMatchObject({
      isDemo: value,
      cookieSecure: value,
      trustProxy: value,
    });
  });

  it("reads the metrics settings: off by default, a token, a listener of their own", () => {
    const token = "0123456789abcdef0123456789abcdef";
    expect(parseConfig({ METRICS: "true", METRICS_TOKEN: token }).metrics).toEqual({
      isEnabled: true,
      token,
      host: "127.0.0.1",
      port: undefined,
    });
    expect(parseConfig({ METRICS: "1", METRICS_HOST: "0.0.0.0", METRICS_PORT: "9464" }).metrics).toEqual({
      isEnabled: true,
      token: undefined,
      host: "0.0.0.0",
      port: 9464,
    });
    expect(problemsOf({ METRICS_TOKEN: "short" })).toEqual([
      "METRICS_TOKEN: must be at least 16 characters (openssl rand -hex 32)",
    ]);
    expect(problemsOf({ METRICS: "true", METRICS_PORT: "3000" })).toEqual([
      "METRICS_PORT: must differ from PORT (leave it unset to serve /metrics on the main port)",
    ]);
  });

  it("refuses production without PUBLIC_URL, saying what to set: links would follow each request's Host", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PUBLIC_URL: required in production: the address people reach Keel at/);
    expect(problems[0]).toContain("never from a request's Host header");
    // Elsewhere it stays optional: a developer's links follow the address they typed.
    expect(parseConfig({ NODE_ENV: "development" }).publicUrl).toBeUndefined();
    expect(parseConfig({ NODE_ENV: "test" }).publicUrl).toBeUndefined();
  });

  it("refuses METRICS=true in production without a token or a listener of their own, saying what to set", () => {
    const problems = problemsOf({ ...production, METRICS: "true" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^METRICS: METRICS=true in production needs METRICS_TOKEN .* or METRICS_PORT/);
    expect(parseConfig({ ...production, METRICS: "true", METRICS_PORT: "9464" }).metrics.port).toBe(9464);
    expect(parseConfig({ ...production, METRICS: "true", METRICS_TOKEN: "x".repeat(32) }).metrics.token).toBe(
      "x".repeat(32),
    );
    expect(parseConfig({ ...production }).metrics.isEnabled).toBe(false);
  });

  it("accepts both postgres:// and postgresql:// database URLs", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/keel" }).databaseUrl).toBe(
      "postgres://postgres@127.0.0.1:5432/keel",
    );
    expect(parseConfig({ DATABASE_URL: "postgresql://localhost/keel" }).databaseUrl).toBe(
      "postgresql://localhost/keel",
    );
  });

  it("treats an empty variable as unset, falling back to the default", () => {
    const config = parseConfig({
      NODE_ENV: "",
      PORT: "",
      LOG_LEVEL: "",
      DATABASE_URL: "",
      KEEL_DEMO: "",
      SESSION_TTL_HOURS: "",
      BODY_LIMIT_BYTES: "",
    });
    expect(config).toEqual(parseConfig({}));
    expect(config.databaseUrl).toBeUndefined();
  });

  it("ignores variables it does not know", () => {
    expect(parseConfig({ PATH: "/usr/bin", HOME: "/root", KEEL_UNKNOWN: "x" })).toEqual(parseConfig({}));
  });

  it("reports every bad value at once, each naming its variable", () => {
    const problems = problemsOf({
      NODE_ENV: "staging",
      PORT: "eighty",
      LOG_LEVEL: "loud",
      DATABASE_URL: "mysql://localhost/keel",
      DATABASE_POOL_SIZE: "0",
      KEEL_DEMO: "yes",
      SESSION_TTL_HOURS: "1.5",
      COOKIE_SECURE: "on",
      BODY_LIMIT_BYTES: "10",
    });
    const variables = problems.map((problem) => problem.split(":")[0]).sort();
    expect(variables).toEqual(
      [
        "BODY_LIMIT_BYTES",
        "COOKIE_SECURE",
        "DATABASE_POOL_SIZE",
        "DATABASE_URL",
        "KEEL_DEMO",
        "LOG_LEVEL",
        "NODE_ENV",
        "PORT",
        "SESSION_TTL_HOURS",
      ].sort(),
    );
  });

  it("throws a ConfigError whose message lists each problem on its own line", () => {
    let thrown: unknown;
    try {
      parseConfig({ PORT: "-1", LOG_LEVEL: "chatty" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.problems).toHaveLength(2);
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
  });

  it.each([
    ["PORT", "65536"],
    ["PORT", "-1"],
    ["PORT", "3000.5"],
    ["PORT", "abc"],
    ["DATABASE_POOL_SIZE", "501"],
    ["SESSION_TTL_HOURS", "0"],
    ["SESSION_TTL_HOURS", String(24 * 90 + 1)],
    ["BODY_LIMIT_BYTES", "1023"],
    ["DATABASE_URL", "not a url"],
    ["DATABASE_URL", "http://localhost:5432/keel"],
    ["TRUST_PROXY", "TRUE"],
  ])("refuses %s=%j", (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it("accepts the bounds of each range", () => {
    expect(parseConfig({ PORT: "0" }).port).toBe(0);
    expect(parseConfig({ PORT: "65535" }).port).toBe(65535);
    expect(parseConfig({ SESSION_TTL_HOURS: String(24 * 90) }).sessionTtlHours).toBe(24 * 90);
    expect(parseConfig({ BODY_LIMIT_BYTES: "1024" }).bodyLimitBytes).toBe(1024);
  });
});
