import { slugFrom } from "@/lib/api/pages-api";
import { postJson } from "@/lib/api/talk-api";
import { route } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { parseId } from "@/lib/ids";
import { replyToThreadCommand } from "@/lib/commands/talk/reply-to-thread";

/** POST /api/pages/<slug>/talk/<thread>/posts {body, parentPostId?}: reply. 201 with the post and its status. */
export const POST = route<{ slug: string; thread: string }>({ body: "json" }, async ({ ctx, body, params }) => {
  const threadId = parseId(params.thread);
  if (threadId === null) throw new AppError("invalid:input", "A thread id is a whole number from 1 to 2147483647.");
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
  const { result } = await replyToThreadCommand.execute(ctx, { ...fields, threadId, title: slugFrom(params.slug) });
  return Response.json({ post: postJson(result), status: result.status, reasons: result.reasons }, { status: 201 });
});
