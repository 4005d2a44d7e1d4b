import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";

export function GET(request: Request) {
  const origin = env().PUBLIC_URL?.replace(/\/$/, "") ?? new URL(request.url).origin;
  return Response.json(openApiDocument(origin), { headers: { "Cache-Control": "public, max-age=3600" } });
}
