import { api } from "@/lib/api/http";
import { requirePage, slugFrom } from "@/lib/api/pages-api";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { route } from "@/lib/edge/route";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { listThreads } from "@/lib/talk/talk-store";
import { talkViewer } from "@/lib/talk/viewer";
import { currentPageAnchors } from "@/lib/wiki/anchor-store";

/**
 * GET /api/pages/<slug>/talk: threads with their posts (held ones only for their authors and moderators). A thread about a
 * passage has its current `target` (W3C Web Annotation selectors on the latest revision; an orphaned one keeps its first),
 * `anchorStatus` (anchored | fuzzy | orphaned), `anchorConfidence` and, when orphaned, `orphanedAtRevisionId` (or
 * `anchorUnplaced: true` when the bounded search gave up on the latest revision: not placed, rather than gone).
 */
export const GET = api<{ slug: string }>(async (_request, { params }) => {
  const db = getDb();
  const page = await requirePage(db, slugFrom((await params).slug));
  const [threads, anchors] = await Promise.all([listThreads(db, page.id, await talkViewer(await currentActor())), currentPageAnchors(db, page)]);
  const byThread = new Map(anchors.map((a) => [a.threadId, a]));
  const listed = threads.map((thread) => {
    const anchor = byThread.get(thread.id);
    return anchor
      ? { ...thread, target: anchor.target, anchorStatus: anchor.anchorStatus, anchorConfidence: anchor.confidence, quote: anchor.quote, orphanedAtRevisionId: anchor.lostAtRevisionId, ...(anchor.unplaced ? { anchorUnplaced: true } : {}) }
      : thread;
  });
  return Response.json({ threads: listed }, { headers: { "Cache-Control": "no-cache" } });
});

/**
 * POST /api/pages/<slug>/talk {title, body, target?}: start a thread, about a passage when `target` is
 * `{selector: [{type: "TextQuoteSelector", exact, prefix, suffix}, {type: "TextPositionSelector", start, end}], revisionId}`.
 * 201 with the post and its status (visible, or held with reasons).
 */
export const POST = route<{ slug: string }>({ body: "json" }, async ({ ctx, body, params }) => {
  const { title, ...fields } = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { result } = await startThreadCommand.execute(ctx, { ...fields, threadTitle: title, title: slugFrom(params.slug) });
  return Response.json(
    { thread: { id: result.threadId, title: result.threadTitle }, post: { id: result.postId, html: result.html }, status: result.status, reasons: result.reasons },
    { status: 201 },
  );
});

