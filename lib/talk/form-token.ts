import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * When a post form was opened, signed by the server, so a bot cannot claim it
 * spent longer on the form than it did (the minimum fill time is a hard rule
 * for guests). Handed to the browser by /api/me; a missing, forged or expired
 * token counts as "filled in no time".
 */
const MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
let fallbackSecret: string | undefined;

function secret(): string {
  return env().AUTH_SECRET ?? (fallbackSecret ??= randomBytes(32).toString("base64"));
}

function sign(issuedAt: number): string {
  return createHmac("sha256", secret()).update(`talk-form:${issuedAt}`).digest("base64url");
}

export function issueFormToken(now = Date.now()): string {
  return `${now}.${sign(now)}`;
}

/** Seconds since the token was issued; 0 when it is missing, forged, from the future or too old. */
export function secondsSinceIssued(token: string | undefined, now = Date.now()): number {
  const match = /^(\d{13})\.([\w-]{43})$/.exec(token ?? "");
  if (!match) return 0;
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(sign(issuedAt));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 0;
  const seconds = (now - issuedAt) / 1000;
  return seconds >= 0 && seconds <= MAX_AGE_SECONDS ? seconds : 0;
}
