import { route } from "@/lib/edge/route";
import { exportJobFile } from "@/lib/data/export-jobs";
import { AppError } from "@/lib/errors";
import { parseId } from "@/lib/ids";

/** GET /api/admin/exports/<id>: one export's status and progress; `file` is its download when done (administrators). */
export const GET = route<{ id: string }>({ session: true }, async ({ ctx, params }) => {
  const id = parseId(params.id);
  if (id === null) throw new AppError("not_found:job", "There is no such export.");
  const { job, file } = await exportJobFile(ctx.db, ctx.actor, id);
  return Response.json({ export: { ...job, file: file ? `/api/admin/exports/${id}/file` : null } }, { headers: { "Cache-Control": "no-store" } });
});
