import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { actorFromToken } from "@/lib/auth/tokens";
import { errorResponse } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { getDb } from "@/lib/db";
import { getPageBySlugIncludingDeleted } from "@/lib/wiki/page-admin";
import { tryParseTitle } from "@/lib/wiki/title";
import { isWatching } from "@/lib/wiki/watchlist";
import { issueFormToken, newGuestToken, type FormTokenHolder } from "@/lib/talk/form-token";
import { unreadCount } from "@/lib/talk/notifications";
import { guestToken, rememberGuest } from "@/lib/talk/viewer";

/**
 * The signed-in user for the header menu and page tools, fetched by the
 * browser so that pages themselves are the same for everyone.
 * `?page=<slug>` adds what this user may do on that page; `?form=talk` a
 * form token for a post form, bound to this user or to the guest's cookie
 * (set here for a guest who has none).
 */
export async function GET(request: Request) {
  // A tool asking with a token that is refused (blocked, expired) gets the refusal, as from the API.
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) {
    try {
      await actorFromToken(getDb(), authorization.slice(7).trim());
    } catch (error) {
      if (error instanceof AppError) return errorResponse(error);
      throw error;
    }
  }
  const actor = await currentActor();
  const user = actor && !actor.blocked ? { name: actor.name, role: actor.role, unread: await unreadCount(getDb(), actor.id) } : null;
  let page: { watching: boolean; canEdit: boolean; canProtect: boolean; protected: boolean; deleted: boolean } | undefined;
  const slug = tryParseTitle(new URL(request.url).searchParams.get("page") ?? "")?.slug;
  if (user && slug) {
    const db = getDb();
    const found = await getPageBySlugIncludingDeleted(db, slug);
    // A deleted page is no page at all to those who may not read it: nothing here may tell them it was deleted.
    const row = found && (found.deletedAt === null || can(actor, "read", { page: { protection: found.protection, deleted: true } })) ? found : null;
    if (row) {
      const subject = { page: { protection: row.protection, deleted: row.deletedAt !== null } };
      page = {
        watching: await isWatching(db, actor!.id, row.id),
        canEdit: can(actor, "edit", subject),
        canProtect: can(actor, "protect"),
        protected: row.protection === "moderators",
        deleted: row.deletedAt !== null,
      };
    }
  }
  // When a post form was opened, signed and bound to who opened it: talk forms send it back with the post.
  let formToken: string | undefined;
  if (new URL(request.url).searchParams.get("form") === "talk") {
    let holder: FormTokenHolder;
    if (user) holder = { userId: actor!.id };
    else {
      let token = await guestToken();
      if (!token) await rememberGuest((token = newGuestToken()));
      holder = { guestToken: token };
    }
    formToken = issueFormToken(holder);
  }
  return Response.json({ user, blocked: actor?.blocked ?? false, page, formToken }, { headers: { "Cache-Control": "private, no-store" } });
}
