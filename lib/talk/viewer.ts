import "server-only";
import { cookies } from "next/headers";
import { can, type Actor } from "@/lib/auth/policy";
import { hashToken } from "./post-store";
import type { Viewer } from "./talk-store";

export const GUEST_COOKIE = "propagate_guest";

/** Who is reading a talk page, for showing held posts to their authors and moderators. */
export async function talkViewer(actor: Actor): Promise<Viewer> {
  const token = (await cookies()).get(GUEST_COOKIE)?.value;
  return {
    userId: actor && !actor.blocked ? actor.id : undefined,
    guestTokenHash: token ? hashToken(token) : undefined,
    moderator: can(actor, "moderate"),
  };
}

/** The guest's browser token, if any. */
export async function guestToken(): Promise<string | undefined> {
  return (await cookies()).get(GUEST_COOKIE)?.value;
}

/** Remember a guest's token so they see their own held posts. */
export async function rememberGuest(token: string): Promise<void> {
  (await cookies()).set(GUEST_COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 180 });
}
