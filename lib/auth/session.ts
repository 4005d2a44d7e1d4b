import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { authOptions } from "./options";
import type { Actor } from "./policy";
import { sessionUser } from "./sessions";
import { actorFromToken } from "./tokens";

/** The server-side session id the signed-in cookie carries, or null. */
export async function currentSessionId(): Promise<string | null> {
  if (!env().AUTH_SECRET) return null;
  const session = await getServerSession(authOptions()).catch(() => null);
  const { sid } = (session?.user ?? {}) as { sid?: string };
  return typeof sid === "string" && sid.length > 0 ? sid : null;
}

/**
 * Who is asking, checked against the database on every call: a bearer API
 * token, or the signed-in session. A tampered or expired cookie, a session
 * that was ended (signed out, signed out everywhere, password changed,
 * blocked), or a deleted account, is anonymous; a blocked account is
 * returned blocked, so every action refuses it.
 */
export async function currentActor(): Promise<Actor> {
  const h = await headers();
  const authorization = h.get("authorization");
  // A page is no API: a token that is refused (blocked, expired) reads it as nobody. The JSON API's
  // edge (lib/edge/route.ts) asks actorFromToken itself and answers its 401 or 403.
  if (authorization?.startsWith("Bearer ")) return actorFromToken(getDb(), authorization.slice(7).trim()).catch(() => null);
  if (!env().AUTH_SECRET) return null;
  const session = await getServerSession(authOptions()).catch(() => null);
  const { id, epoch, sid } = (session?.user ?? {}) as { id?: string; epoch?: number; sid?: string };
  if (!id || typeof sid !== "string" || sid.length === 0) return null;
  const user = await sessionUser(getDb(), sid);
  if (!user || user.isSystem || user.id !== id) return null;
  // Signed in before the password last changed: that session has ended.
  if ((epoch ?? 0) !== user.sessionEpoch) return null;
  return { id: user.id, name: user.name, role: user.role, blocked: user.blockedAt !== null };
}

/** Whether the current request was authenticated by a bearer token (no cookies, no CSRF risk). */
export async function usesBearerToken(): Promise<boolean> {
  return (await headers()).get("authorization")?.startsWith("Bearer ") ?? false;
}
