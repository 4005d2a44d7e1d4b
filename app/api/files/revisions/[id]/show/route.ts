import { showFileRevisionCommand } from "@/lib/commands/media/show-file-revision";
import { route } from "@/lib/edge/route";

/** POST /api/files/revisions/<id>/show (moderators): show a hidden file revision again; its bytes are served once no other upload of them is hidden. */
export const POST = route<{ id: string }>({ body: "json" }, async ({ ctx, params }) => {
  const { result } = await showFileRevisionCommand.execute(ctx, { revisionId: params.id });
  return Response.json({ status: result.served ? "shown" : "still-hidden", page: result.slug, sha256: result.sha256 }, { headers: { "Cache-Control": "no-store" } });
});
