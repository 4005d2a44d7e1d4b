import { api } from "@/lib/api/http";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/edge/route";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { listThreads } from "@/lib/talk/talk-store";
import { talkViewer } from "@/lib/talk/viewer";

/** GET /api/pages/<slug>/talk: threads with their posts (held ones only for their authors and moderators). */
export const GET = api<{ slug: string }>(async (_request, { params }) => {
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const threads = await listThreads(db, page.id, await talkViewer(await currentActor()));
  return Response.json({ threads }, { headers: { "Cache-Control": "no-cache" } });
});

/** POST /api/pages/<slug>/talk {title, body}: start a thread. 201 with the post and its status (visible, or held with reasons). */
export const POST = route<{ slug: string }>({ body: "json" }, async ({ ctx, body, params }) => {
  const { title, ...fields } = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { result } = await startThreadCommand.execute(ctx, { ...fields, threadTitle: title, title: slugFrom(params.slug) });
  return Response.json(
    { thread: { id: result.threadId, title: result.threadTitle }, post: { id: result.postId, html: result.html }, status: result.status, reasons: result.reasons },
    { status: 201 },
  );
});

