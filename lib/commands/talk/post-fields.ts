import "server-only";
import { can, refusal } from "@/lib/auth/policy";
import type { CommandContext } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { AppError } from "@/lib/errors";
import { z } from "zod";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";
import { CONTEXT_CHARS, MAX_QUOTE } from "@/lib/wiki/anchor";
import type { AnchorInput } from "@/lib/wiki/anchor-store";
import { secondsSinceIssued, type FormTokenHolder } from "@/lib/talk/form-token";
import { guestPostingEnabled, type Author, type PostMeta, type PostOutcome } from "@/lib/talk/post-store";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { tryParseTitle } from "@/lib/wiki/title";

/** The fields of a talk post, shared by starting a thread and replying, in forms and the API alike. */
export const postFields = {
  title: titleField,
  body: text({ label: "Post", max: 200_000 }),
  guestName: text({ label: "Name", max: 200, trim: true }).optional(),
  guestUrl: text({ label: "Website", max: 400, trim: true }).optional(),
  /** The honeypot: a field people never see. */
  website: text({ label: "Website (leave empty)", max: 400 }).optional(),
  /** When the form was opened, signed by the server. */
  formToken: text({ label: "Form token", max: 200 }).optional(),
};

export type PostFieldsInput = { guestName?: string; guestUrl?: string; website?: string; formToken?: string };

/** What a post command tells its transport: the post, its status, and the guest's token to remember. */
export type PostResult = { slug: string; threadId: number; threadTitle: string; postId: number; parentId: number | null; html: string; status: "visible" | "held"; reasons: string[]; guestToken?: string };

/** The live page a discussion is on, or a 404. */
export async function discussedPage(ctx: CommandContext, rawTitle: string) {
  const slug = tryParseTitle(rawTitle)?.slug;
  const page = slug ? await getPageBySlug(ctx.db, slug) : null;
  if (!page) throw new AppError("not_found:page", "That page does not exist.");
  return page;
}

/** Who writes the post: the member, or a guest when guests may post; otherwise refused. */
export function postAuthor(ctx: CommandContext, input: PostFieldsInput): Author {
  const subject = { guestPosting: guestPostingEnabled() };
  if (!can(ctx.actor, "post", subject)) {
    if (ctx.actor === null) throw new AppError("unauthorized", "Please sign in to take part in discussions.");
    throw new AppError("forbidden:page", refusal(ctx.actor, "post", subject));
  }
  return ctx.actor ? { actor: ctx.actor } : { guest: { name: input.guestName ?? "", url: input.guestUrl } };
}

/** The spam rules' facts about this request: the API has no form (no honeypot, no fill time). */
export function postMeta(ctx: CommandContext, input: PostFieldsInput): PostMeta {
  if (ctx.via === "api") return { ip: ctx.ip, viaApi: true };
  return {
    ip: ctx.ip,
    honeypot: input.website,
    // No valid token (a bot that skipped the form), or one issued to another user or guest cookie, counts as filled in no time.
    secondsToFill: secondsSinceIssued(input.formToken, formTokenHolder(ctx)),
    guestToken: ctx.guestToken,
  };
}

/** Whom this request's form token must have been issued to: the signed-in user, or the guest's cookie (none: no token counts). */
export function formTokenHolder(ctx: Pick<CommandContext, "actor" | "guestToken">): FormTokenHolder | undefined {
  if (ctx.actor) return { userId: ctx.actor.id };
  return ctx.guestToken ? { guestToken: ctx.guestToken } : undefined;
}

export function postResult(slug: string, outcome: PostOutcome): PostResult {
  return {
    slug,
    threadId: outcome.thread.id,
    threadTitle: outcome.thread.title,
    postId: outcome.post.id,
    parentId: outcome.post.parentId,
    html: outcome.post.bodyHtml,
    status: outcome.status,
    reasons: outcome.reasons,
    ...(outcome.guestToken ? { guestToken: outcome.guestToken } : {}),
  };
}

export const threadTitleField = text({ label: "Thread title", max: 400 });


/** A character offset in a page's rendered text: a JSON number or a form's digits. */
const offsetField = z
  .union([z.number(), z.string().regex(/^\d{1,9}$/, "An offset is a whole number.").transform(Number)], { error: "An offset is a whole number." })
  .pipe(z.number().int("An offset is a whole number.").min(0, "An offset is not negative.").max(100_000_000, "That offset is past any page's end."));

const quoteSelector = z.object({
  type: z.literal("TextQuoteSelector"),
  exact: text({ label: "Quoted passage", max: MAX_QUOTE, min: 1 }),
  prefix: text({ label: "Text before the passage", max: CONTEXT_CHARS * 4 }).default(""),
  suffix: text({ label: "Text after the passage", max: CONTEXT_CHARS * 4 }).default(""),
});
const positionSelector = z.object({ type: z.literal("TextPositionSelector"), start: offsetField, end: offsetField });

/**
 * The passage a new thread discusses, as a W3C Web Annotation target:
 * `{ selector: [TextQuoteSelector, TextPositionSelector?], revisionId }` on the
 * revision's rendered text. The quote is required; the position, when given,
 * says which occurrence of it.
 */
export const anchorTargetField = z
  .object({
    selector: z.array(z.discriminatedUnion("type", [quoteSelector, positionSelector], { error: "A selector is a TextQuoteSelector or a TextPositionSelector." })).min(1).max(2),
    revisionId: idSchema,
  })
  .transform((target, ctx): AnchorInput => {
    const quote = target.selector.find((s) => s.type === "TextQuoteSelector");
    const position = target.selector.find((s) => s.type === "TextPositionSelector");
    if (!quote) {
      ctx.addIssue({ code: "custom", message: "The target needs a TextQuoteSelector with the quoted words." });
      return z.NEVER;
    }
    if (position && position.end - position.start !== quote.exact.length) {
      ctx.addIssue({ code: "custom", message: "The position's length is not the quote's." });
      return z.NEVER;
    }
    return { exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix, start: position?.start ?? 0, end: position?.end ?? quote.exact.length, revisionId: target.revisionId };
  });
