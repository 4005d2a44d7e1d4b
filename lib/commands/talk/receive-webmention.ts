import "server-only";
import { z } from "zod";
import { consume } from "@/lib/rate-limit";
import { defineCommand } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { text } from "@/lib/text";
import { receiveWebmention } from "@/lib/talk/webmention";

/**
 * A W3C Webmention from another site: anyone may send one (no account), so it
 * is limited per address, and it waits for a moderator unless verified.
 */
export const receiveWebmentionCommand = defineCommand({
  name: "receive-webmention",
  input: z.object({ source: text({ label: "source", max: 2000, min: 1, trim: true }), target: text({ label: "target", max: 2000, min: 1, trim: true }) }),
  async run(ctx, input): Promise<{ status: string; reasons: string[]; title: string | null }> {
    // Each mention may make this server fetch a page elsewhere: limited per address.
    const limit = await consume(ctx.db, "webmentionIp", ctx.ip);
    if (!limit.ok) throw new AppError("rate_limited", "Too many Webmentions from your address; try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
    const result = await receiveWebmention(ctx.db, { source: input.source, target: input.target, siteOrigin: ctx.siteOrigin });
    return { status: result.status, reasons: result.reasons, title: result.mention.sourceTitle };
  },
});
