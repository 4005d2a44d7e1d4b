import { originPolicy } from "@/lib/edge/policy";
import { originVary, siteOrigin } from "@/lib/security/request";
import { openApiDocument } from "@/lib/api/openapi";

export function GET(request: Request) {
  // The site's own origin (PUBLIC_URL, or a trusted Host), never the address the server is bound to.
  const policy = originPolicy();
  const origin = siteOrigin(request.headers, policy);
  const vary = originVary(policy);
  return Response.json(openApiDocument(origin), { headers: { "Cache-Control": "public, max-age=3600", ...(vary ? { Vary: vary } : {}) } });
}
