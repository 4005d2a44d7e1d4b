import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * When a post form was opened, signed by the server, so a bot cannot claim it
 * spent longer on the form than it did (the minimum fill time is a hard rule
 * for guests). Handed to the browser by /api/me, bound to who asked (the
 * signed-in user, or the guest's `propagate_guest` cookie) and valid for
 * {@link FORM_TOKEN_MAX_AGE_SECONDS}: a missing, forged, expired token, or one
 * issued to someone else, counts as "filled in no time". A token fetched once
 * and replayed by a bot from other cookies is therefore worth nothing.
 */
export const FORM_TOKEN_MAX_AGE_SECONDS = 2 * 60 * 60;
let fallbackSecret: string | undefined;

/** Who a form token is issued to: a signed-in user, or a guest's browser cookie. */
export type FormTokenHolder = { userId: string } | { guestToken: string };

function secret(): string {
  return env().AUTH_SECRET ?? (fallbackSecret ??= randomBytes(32).toString("base64"));
}

function bindingOf(holder: FormTokenHolder): string {
  // The guest's cookie is a bearer secret of its own: only its hash enters the MAC input.
  return "userId" in holder ? `user:${holder.userId}` : `guest:${createHash("sha256").update(holder.guestToken).digest("hex")}`;
}

function sign(issuedAt: number, holder: FormTokenHolder): string {
  return createHmac("sha256", secret()).update(`talk-form:v2:${issuedAt}:${bindingOf(holder)}`).digest("base64url");
}

/** A token saying the form was opened at `now` by `holder`. */
export function issueFormToken(holder: FormTokenHolder, now = Date.now()): string {
  return `${now}.${sign(now, holder)}`;
}

/**
 * Seconds since the token was issued to `holder`; 0 when it is missing,
 * forged, issued to another user or guest cookie (or `holder` is unknown),
 * from the future or older than {@link FORM_TOKEN_MAX_AGE_SECONDS}.
 */
export function secondsSinceIssued(token: string | undefined, holder: FormTokenHolder | undefined, now = Date.now()): number {
  if (holder === undefined) return 0;
  const match = /^(\d{13})\.([\w-]{43})$/.exec(token ?? "");
  if (!match) return 0;
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(sign(issuedAt, holder));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 0;
  const seconds = (now - issuedAt) / 1000;
  return seconds >= 0 && seconds <= FORM_TOKEN_MAX_AGE_SECONDS ? seconds : 0;
}

/** A new guest cookie value (what /api/me sets for a guest opening a post form, and a first post otherwise). */
export function newGuestToken(): string {
  return randomBytes(24).toString("base64url");
}
