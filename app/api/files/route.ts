import { uploadFileCommand, uploadSizeLimit } from "@/lib/commands/media/upload-file";
import type { MultipartBody } from "@/lib/edge/multipart";
import { route } from "@/lib/edge/route";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { maxUploadRequestBytes } from "@/lib/media/limits";
import { pagePath } from "@/lib/wikitext/title";

const FIELDS = ["name", "summary", "description", "licence", "source"] as const;

/**
 * POST /api/files (multipart/form-data: file, name, summary; optional
 * description, licence, source): upload a file as a revision of File:<name>.
 * 201 {title, url, revision}; 200 when the same file was already the latest.
 * The edge streams the file to disk, refusing it (413) as soon as it passes
 * its type's limit; the command takes it from there.
 */
export const POST = route({ body: "multipart", maxBytes: maxUploadRequestBytes(env()), signedIn: true, fileLimit: uploadSizeLimit }, async ({ ctx, body }) => {
  const form = body as MultipartBody;
  const files = form.files.file ?? [];
  const file = files[0];
  const others = Object.keys(form.files).filter((name) => name !== "file");
  if (files.length !== 1 || file === undefined || others.length > 0) throw new AppError("invalid:input", "Attach exactly one file, in the field named file.", { field: "file" });
  const input: Record<string, unknown> = { file };
  for (const field of FIELDS) {
    const values = form.fields[field] ?? [];
    if (values.length > 1) throw new AppError("invalid:input", `Send the field ${field} once.`, { field });
    if (values[0] !== undefined) input[field] = values[0];
  }
  input.name ??= file.name;
  const { result } = await uploadFileCommand.execute(ctx, input);
  return Response.json(
    {
      title: result.title,
      url: ctx.siteOrigin + result.path,
      revision: result.revision,
      page: ctx.siteOrigin + pagePath(result.slug),
      sha256: result.sha256,
      type: result.mime,
      size: result.size,
      width: result.width,
      height: result.height,
      durationSeconds: result.durationSeconds,
      unchanged: result.unchanged,
    },
    { status: result.unchanged ? 200 : 201, headers: { "Cache-Control": "no-store" } },
  );
});
