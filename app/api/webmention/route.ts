import { headers } from "next/headers";
import { api } from "@/lib/api/http";
import { consume } from "@/lib/rate-limit";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/security/request";
import { receiveWebmention } from "@/lib/talk/webmention";

/** W3C Webmention endpoint: form-encoded `source` and `target`. 201 with the stored mention's status. */
export const POST = api(async (request: Request) => {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded")) throw new AppError("invalid:input", "Send source and target as application/x-www-form-urlencoded.");
  const body = new URLSearchParams((await request.text()).slice(0, 10_000));
  const source = body.get("source");
  const target = body.get("target");
  if (!source || !target) throw new AppError("invalid:input", "Both source and target are required.");
  const origin = env().PUBLIC_URL ?? new URL(request.url).origin;
  const db = getDb();
  // Each mention may make this server fetch a page elsewhere: limited per address.
  const limit = await consume(db, "webmentionIp", clientIp(await headers()));
  if (!limit.ok) throw new AppError("rate_limited", "Too many Webmentions from your address; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
  const result = await receiveWebmention(db, { source, target, siteOrigin: origin });
  return Response.json({ status: result.status, reasons: result.reasons, title: result.mention.sourceTitle }, { status: 201 });
});
