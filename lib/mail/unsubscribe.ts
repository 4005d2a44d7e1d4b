import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

let fallbackSecret: string | undefined;

function secret(): string {
  return env().AUTH_SECRET ?? (fallbackSecret ??= randomBytes(32).toString("base64"));
}

/** The token of a user's unsubscribe links: a MAC of their id (no row to keep; changing AUTH_SECRET voids old links). */
export function unsubscribeToken(userId: string): string {
  return createHmac("sha256", secret()).update(`unsubscribe:v1:${userId}`).digest("base64url");
}

/** Whether `token` is the unsubscribe token of `userId`. */
export function isUnsubscribeToken(userId: string, token: string): boolean {
  const expected = Buffer.from(unsubscribeToken(userId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A user's unsubscribe addresses: `oneClick` for mail clients (RFC 8058: a
 * POST with `List-Unsubscribe=One-Click`), `page` for people (a GET shows a
 * button; a GET alone never unsubscribes, as link scanners follow links).
 */
export function unsubscribeLinks(origin: string, userId: string): { oneClick: string; page: string; headers: Record<string, string> } {
  const query = `user=${encodeURIComponent(userId)}&token=${unsubscribeToken(userId)}`;
  const oneClick = `${origin}/api/unsubscribe?${query}`;
  return {
    oneClick,
    page: `${origin}/unsubscribe?${query}`,
    headers: { "List-Unsubscribe": `<${oneClick}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
