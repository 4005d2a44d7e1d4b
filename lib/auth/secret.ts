import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The embedded default for AUTH_SECRET: generated once and kept in the data
 * directory (readable by its owner only), so sessions survive restarts.
 */
export function embeddedAuthSecret(dataDir: string): string {
  const file = path.join(path.resolve(dataDir), "auth-secret");
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {}
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
