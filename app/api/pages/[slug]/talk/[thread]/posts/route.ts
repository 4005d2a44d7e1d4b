import { headers } from "next/headers";
import { api, readJson } from "@/lib/api/http";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { can, refusal } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/security/request";
import { guestPostingEnabled, replyToThread } from "@/lib/talk/post-store";
import { postBody } from "@/lib/api/talk-api";
import { idSchema, parseId } from "@/lib/ids";

type Context = { params: Promise<{ slug: string; thread: string }> };

/** POST /api/pages/<slug>/talk/<thread>/posts {body, parentPostId?}: reply. 201 with the post and its status. */
export const POST = api(async (request: Request, { params }: Context) => {
  const { slug, thread } = await params;
  if (parseId(thread) === null) throw new AppError("invalid:input", "A thread id is a whole number from 1 to 2147483647.");
  const input = await readJson(request, postBody.extend({ parentPostId: idSchema.optional() }).strict());
  const db = getDb();
  const page = await requirePage(db, slugFrom(slug));
  const actor = await currentActor();
  if (!can(actor, "post", { guestPosting: guestPostingEnabled() })) throw new AppError(actor ? "forbidden:page" : "unauthorized", refusal(actor, "post"));
  const result = await replyToThread(db, {
    pageId: page.id,
    threadId: Number(thread),
    parentPostId: input.parentPostId,
    source: input.body,
    author: actor ? { actor } : { guest: { name: input.guestName ?? "", url: input.guestUrl } },
    meta: { ip: clientIp(await headers()), viaApi: true },
  });
  return Response.json({ post: { id: result.post.id, parentId: result.post.parentId, html: result.post.bodyHtml }, status: result.status, reasons: result.reasons }, { status: 201 });
});
