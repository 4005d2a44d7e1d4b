import { z } from "zod";

/**
 * The one place that reads process.env. Parsed lazily so that scripts and
 * tests can set variables before the first read.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || /^postgres(ql)?:\/\//.test(v), {
      message: "DATABASE_URL must start with postgres:// or postgresql://",
    })
    .transform((v) => (v ? v : undefined)),
  /** Set by the launcher when it serves the embedded database to the app. */
  PROPAGATE_DB_MODE: z.enum(["embedded", "server"]).optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  PROPAGATE_DATA_DIR: z.string().default(".data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
  PUBLIC_URL: z.string().url().optional(),
  /** Host names (comma-separated, optionally name:port) whose Host header builds the wiki's URLs when PUBLIC_URL is unset; loopback always does. */
  ALLOWED_HOSTS: z
    .string()
    .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/, "ALLOWED_HOSTS must be host names, comma-separated (e.g. wiki.example.org,wiki.internal:8080)")))
    .default([]),
  /** These emails' accounts (comma-separated) become administrators when they sign up. */
  ADMIN_EMAIL: z
    .string()
    .transform((v) => v.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().email("ADMIN_EMAIL must be an email address (or several, comma-separated)")))
    .optional(),
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("Single sign-on"),
  /** Fetch Webmention sources to verify they link here ("on"); otherwise mentions wait for a moderator. */
  WEBMENTION_VERIFY: z.enum(["on", "off"]).default("off"),
  /** Allow Webmention sources on private or loopback addresses (tests only; off protects the network). */
  WEBMENTION_ALLOW_PRIVATE: z.enum(["on", "off"]).default("off"),
  /** Sign-ups allowed per IP address per hour. */
  SIGNUP_IP_LIMIT: z.coerce.number().int().min(1).max(100_000).default(5),
  /** "on" when a reverse proxy in front sets X-Forwarded-For; otherwise the socket address replaces it. */
  TRUST_PROXY: z.enum(["on", "off"]).default("off"),
  /** Memory for the server's page cache of whole pages (MiB); 0 turns it off. */
  PAGE_CACHE_MB: z.coerce.number().int("PAGE_CACHE_MB must be a whole number of MiB").min(0).max(65_536).default(64),
  /** Set by the CPU pool for a lane's worker processes: their scheduling priority (nice). */
  PROPAGATE_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(0),
  /** Outgoing mail server, e.g. smtp://user:pass@host:587 (smtps:// for TLS from the start); unset: mail is written to the server log. */
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\//.test(v), { message: "SMTP_URL must start with smtp:// or smtps://" })
    .optional(),
  /** The From address of the wiki's mail, e.g. "Propagate <wiki@example.org>". */
  MAIL_FROM: z.string().min(3).default("Propagate <propagate@localhost>"),
  /** Guests (name and optional website, like the origin blog) may post on talk pages unless "off". */
  TALK_GUEST_POSTING: z.enum(["on", "off"]).default("on"),
  /** Largest image upload, in MB (decimal). */
  MEDIA_MAX_IMAGE_MB: z.coerce.number().int().min(1).max(1_000).default(20),
  /** Largest audio or video upload, in MB. */
  MEDIA_MAX_AV_MB: z.coerce.number().int().min(1).max(1_000).default(200),
  /** Largest PDF upload, in MB (captions: at most 2 MB). */
  MEDIA_MAX_DOCUMENT_MB: z.coerce.number().int().min(1).max(1_000).default(20),
  /** What one person's uploads may add up to, in MB. */
  MEDIA_QUOTA_MB: z.coerce.number().int().min(1).max(10_000_000).default(2_000),
  /** Uploads one person may make per hour. */
  MEDIA_UPLOADS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  /**
   * Hosts whose audio files pages may embed as podcast enclosures (`<Embed provider="podcast" id="https://…">`),
   * comma-separated; the pages' CSP media-src lists exactly these. "none" lists none.
   */
  PODCAST_HOSTS: z
    .string()
    .transform((v) => (v.trim().toLowerCase() === "none" ? [] : v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean)))
    .pipe(z.array(z.string().max(253).regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, "PODCAST_HOSTS must be host names, comma-separated (e.g. traffic.libsyn.com,media.transistor.fm), or none")).max(50))
    .default(["traffic.libsyn.com", "media.transistor.fm"]),
  /** Largest image, in megapixels (width × height once decoded): a bound against decompression bombs. */
  MEDIA_MAX_MEGAPIXELS: z.coerce.number().int().min(1).max(1_000).default(50),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validated environment. Throws a ConfigError with a plain message on bad values. */
export function env(): Env {
  if (cached) return cached;
  // An empty variable means "not set" (as in `DATABASE_URL= npm start`).
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(
      `${first?.path.join(".") ?? "environment"}: ${first?.message ?? "invalid value"}`,
    );
  }
  cached = parsed.data;
  return cached;
}

/** Forget the parsed environment (scripts that change variables, tests). */
export function resetEnv(): void {
  cached = undefined;
}

/** A configuration problem a person must fix; its message is one plain sentence. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Tell next-auth the origin to build its URLs on for this request. next-auth
 * v4 reads NEXTAUTH_URL from the environment before it looks at the Host
 * header, so the auth route sets it to the trusted origin (PUBLIC_URL, or a
 * loopback or ALLOWED_HOSTS host) and an arbitrary Host is never used.
 */
export function setAuthOrigin(origin: string): void {
  process.env.NEXTAUTH_URL = origin;
}
