import { api } from "@/lib/api/http";
import { listPagesForApi } from "@/lib/api/pages-api";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** GET /api/pages?after=<slug>&limit=<n>: live pages by slug. */
export const GET = api(async (request: Request) => {
  const url = new URL(request.url);
  const limitRaw = url.searchParams.get("limit") ?? "50";
  if (!/^\d{1,3}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 200) throw new AppError("invalid:input", "limit must be 1 to 200.");
  const after = url.searchParams.get("after") ?? undefined;
  const result = await listPagesForApi(getDb(), after, Number(limitRaw));
  return Response.json(result, { headers: { "Cache-Control": "no-cache" } });
});
