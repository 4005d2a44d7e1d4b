import { hideFileRevisionCommand } from "@/lib/commands/media/hide-file-revision";
import { route } from "@/lib/edge/route";

/** POST /api/files/revisions/<id>/hide (moderators): hide a file revision; its bytes are no longer served. */
export const POST = route<{ id: string }>({ body: "json" }, async ({ ctx, params }) => {
  const { result } = await hideFileRevisionCommand.execute(ctx, { revisionId: params.id });
  return Response.json({ status: "hidden", page: result.slug, sha256: result.sha256 }, { headers: { "Cache-Control": "no-store" } });
});
