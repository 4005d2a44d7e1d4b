"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction, type FormState } from "@/lib/auth/action";
import { can, refusal, type Actor } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/security/request";
import { changeThreadStatus, createThread, editPost, guestPostingEnabled, replyToThread, type Author, type PostOutcome } from "@/lib/talk/post-store";
import { subscribe, unsubscribe } from "@/lib/talk/notifications";
import { secondsSinceIssued } from "@/lib/talk/form-token";
import { guestToken, rememberGuest } from "@/lib/talk/viewer";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pagePath } from "@/lib/wiki/title";
import { idSchema } from "@/lib/ids";

const common = {
  slug: z.string().min(1).max(300),
  body: z.string().max(200_000),
  guestName: z.string().max(200).optional(),
  guestUrl: z.string().max(400).optional(),
  website: z.string().max(400).optional(),
  formToken: z.string().max(200).optional(),
};

async function author(actor: Actor, input: { guestName?: string; guestUrl?: string }): Promise<Author> {
  if (actor) return { actor };
  if (!can(null, "post", { guestPosting: guestPostingEnabled() })) throw new AppError("unauthorized", "Please sign in to take part in discussions.");
  return { guest: { name: input.guestName ?? "", url: input.guestUrl } };
}

async function meta(input: { website?: string; formToken?: string }) {
  return {
    ip: clientIp(await headers()),
    honeypot: input.website,
    // No valid token (a bot that skipped the form) counts as filled in no time.
    secondsToFill: secondsSinceIssued(input.formToken),
    guestToken: await guestToken(),
  };
}

async function outcome(slug: string, result: PostOutcome): Promise<FormState> {
  if (result.guestToken) await rememberGuest(result.guestToken);
  revalidatePath(pagePath(slug, "/talk"));
  return result.status === "held"
    ? { ok: true, message: `Your post is held for a moderator to look at (${result.reasons.join("; ")}). You can see it; others will once it is approved.`, data: { postId: result.post.id, status: "held" } }
    : { ok: true, message: "Posted.", data: { postId: result.post.id, status: "visible", href: `${pagePath(slug, `/talk/${result.thread.id}`)}#post-${result.post.id}` } };
}

export const newThreadAction = formAction(z.object({ ...common, title: z.string().max(400) }), async (input, actor) => {
  if (actor?.blocked) throw new AppError("forbidden:page", refusal(actor, "post"));
  const page = await getPageBySlug(getDb(), input.slug);
  if (!page) throw new AppError("not_found:page", "That page does not exist.");
  const result = await createThread(getDb(), { pageId: page.id, title: input.title, source: input.body, author: await author(actor, input), meta: await meta(input) });
  return outcome(page.slug, result);
});

export const replyAction = formAction(
  z.object({ ...common, threadId: idSchema, parentPostId: z.union([z.literal(""), idSchema]).optional() }),
  async (input, actor) => {
    if (actor?.blocked) throw new AppError("forbidden:page", refusal(actor, "post"));
    const page = await getPageBySlug(getDb(), input.slug);
    if (!page) throw new AppError("not_found:page", "That page does not exist.");
    const result = await replyToThread(getDb(), {
      pageId: page.id,
      threadId: input.threadId,
      parentPostId: typeof input.parentPostId === "number" ? input.parentPostId : undefined,
      source: input.body,
      author: await author(actor, input),
      meta: await meta(input),
    });
    return outcome(page.slug, result);
  },
);

export const editPostAction = formAction(z.object({ slug: z.string().min(1).max(300), postId: idSchema, body: z.string().max(200_000) }), async (input, actor) => {
  await editPost(getDb(), actor, input.postId, input.body);
  revalidatePath(pagePath(input.slug, "/talk"));
  return { ok: true, message: "Your post was updated; the earlier version is kept." };
});

export const threadStatusAction = formAction(
  z.object({ slug: z.string().min(1).max(300), threadId: idSchema, status: z.enum(["open", "resolved", "archived"]) }),
  async (input, actor) => {
    await changeThreadStatus(getDb(), actor, input.threadId, input.status);
    revalidatePath(pagePath(input.slug, "/talk"));
    return { ok: true, message: `The thread is now ${input.status}.`, data: { href: pagePath(input.slug, `/talk/${input.threadId}`) } };
  },
);

export const subscribeAction = formAction(
  z.object({ slug: z.string().min(1).max(300), threadId: z.union([z.literal(""), idSchema]).optional(), follow: z.enum(["true", "false"]) }),
  async (input, actor) => {
    if (!actor || actor.blocked) throw new AppError("unauthorized", refusal(actor, "post"));
    const page = await getPageBySlug(getDb(), input.slug);
    if (!page) throw new AppError("not_found:page", "That page does not exist.");
    const threadId = typeof input.threadId === "number" ? input.threadId : null;
    if (input.follow === "true") await subscribe(getDb(), actor.id, page.id, threadId);
    else await unsubscribe(getDb(), actor.id, page.id, threadId);
    return { ok: true, message: input.follow === "true" ? "You will be notified of new posts." : "You will no longer be notified.", data: { following: input.follow === "true" } };
  },
);
