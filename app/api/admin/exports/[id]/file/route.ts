import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { route } from "@/lib/edge/route";
import { exportJobFile } from "@/lib/data/export-jobs";
import { AppError } from "@/lib/errors";
import { parseId } from "@/lib/ids";

/** GET /api/admin/exports/<id>/file: a finished export, streamed from disk (administrators). */
export const GET = route<{ id: string }>({ session: true }, async ({ ctx, params }) => {
  const id = parseId(params.id);
  if (id === null) throw new AppError("not_found:job", "There is no such export.");
  const { job, file } = await exportJobFile(ctx.db, ctx.actor, id);
  if (!file) throw new AppError("not_found:job", `Export ${id} has no file (it is ${job.status}).`);
  const git = job.format === "git";
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "Content-Type": git ? "application/octet-stream" : "application/xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="propagate-${id}.${git ? "bundle" : "xml"}"`,
      ...(job.bytes !== null ? { "Content-Length": String(job.bytes) } : {}),
      "Cache-Control": "no-store",
    },
  });
});
