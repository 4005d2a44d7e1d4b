import "server-only";
import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane. */
const PARAMS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

// A few of the most used passwords that pass the length rule.
const COMMON = new Set([
  "password123", "1234567890", "qwertyuiop", "password1234", "iloveyou123", "0123456789", "1q2w3e4r5t",
  "qwerty1234", "abcdefghij", "letmein123", "welcome123", "passw0rd123", "administrator", "trustno1234",
]);

/**
 * Why a password is unacceptable, or null. Checked before hashing, so a
 * megabyte-long password costs nothing.
 */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length > PASSWORD_MAX) return `A password can be at most ${PASSWORD_MAX} characters long.`;
  if (password.length < PASSWORD_MIN) return `A password must be at least ${PASSWORD_MIN} characters long.`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return "This password is too common; choose another.";
  if (new Set(password).size < 4) return "This password repeats too few characters; choose another.";
  for (const part of [context.email?.split("@")[0], context.name]) {
    if (part && part.length >= 4 && lower.includes(part.toLowerCase())) return "A password must not contain your name or email.";
  }
  return null;
}

/** argon2id hash of a password that passed passwordProblem. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length > PASSWORD_MAX) throw new Error("password too long to hash");
  return hash(password, PARAMS);
}

let dummy: Promise<string> | undefined;

/**
 * Check a password against a stored hash. With no hash (unknown account) it
 * verifies against a dummy hash, so both cases take the same time.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  const candidate = password.length > PASSWORD_MAX ? password.slice(0, PASSWORD_MAX) : password;
  if (!stored) {
    dummy ??= hash("not-a-real-password-0", PARAMS);
    await verify(await dummy, candidate).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, candidate);
  } catch {
    return false;
  }
}
