import { headers } from "next/headers";
import { z } from "zod";
import { api, readJson } from "@/lib/api/http";
import { postBody } from "@/lib/api/talk-api";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { can, refusal } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/security/request";
import { createThread, guestPostingEnabled } from "@/lib/talk/post-store";
import { listThreads } from "@/lib/talk/talk-store";
import { talkViewer } from "@/lib/talk/viewer";

type Context = { params: Promise<{ slug: string }> };

/** GET /api/pages/<slug>/talk: threads with their posts (held ones only for their authors and moderators). */
export const GET = api(async (_request: Request, { params }: Context) => {
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const threads = await listThreads(db, page.id, await talkViewer(await currentActor()));
  return Response.json({ threads }, { headers: { "Cache-Control": "no-cache" } });
});

/** POST /api/pages/<slug>/talk {title, body}: start a thread. 201 with the post and its status (visible, or held with reasons). */
export const POST = api(async (request: Request, { params }: Context) => {
  const input = await readJson(request, postBody.extend({ title: z.string().max(400) }).strict());
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const actor = await currentActor();
  if (!can(actor, "post", { guestPosting: guestPostingEnabled() })) throw new AppError(actor ? "forbidden:page" : "unauthorized", refusal(actor, "post"));
  const result = await createThread(db, {
    pageId: page.id,
    title: input.title,
    source: input.body,
    author: actor ? { actor } : { guest: { name: input.guestName ?? "", url: input.guestUrl } },
    meta: { ip: clientIp(await headers()), viaApi: true },
  });
  return Response.json({ thread: { id: result.thread.id, title: result.thread.title }, post: { id: result.post.id, html: result.post.bodyHtml }, status: result.status, reasons: result.reasons }, { status: 201 });
});
