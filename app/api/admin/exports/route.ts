import { route } from "@/lib/edge/route";
import { startExportCommand } from "@/lib/commands/data/start-export";
import { listExportJobs } from "@/lib/data/export-jobs";

/** GET /api/admin/exports: the latest exports with their progress (administrators). */
export const GET = route({ session: true }, async ({ ctx }) => {
  const jobs = await listExportJobs(ctx.db, ctx.actor);
  return Response.json({ exports: jobs }, { headers: { "Cache-Control": "no-store" } });
});

/** POST /api/admin/exports {format: "mediawiki" | "git"}: start an export (202); follow it at /api/admin/exports/<id>. */
export const POST = route({ body: "json" }, async ({ ctx, body }) => {
  const { result } = await startExportCommand.execute(ctx, body);
  return Response.json({ export: result, location: `/api/admin/exports/${result.id}` }, { status: 202, headers: { "Cache-Control": "no-store", Location: `/api/admin/exports/${result.id}` } });
});
