"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { blockSpammerCommand } from "@/lib/commands/talk/block-spammer";
import { moderateMentionCommand } from "@/lib/commands/talk/moderate-mention";
import { moderatePostCommand } from "@/lib/commands/talk/moderate-post";

const said = { approve: "Approved: the post is shown.", hide: "Hidden.", spam: "Marked as spam; the filter learns from it." } as const;

export const moderateAction = formAction(moderatePostCommand, {
  present: (r): FormState => ({ ok: true, message: said[r.action] }),
});

export const blockSpammerAction = formAction(blockSpammerCommand, {
  present: (r): FormState => ({ ok: true, message: `Blocked; ${r.hiddenPosts} ${r.hiddenPosts === 1 ? "post" : "posts"} hidden.` }),
});

export const moderateMentionAction = formAction(moderateMentionCommand, {
  present: (r): FormState => ({ ok: true, message: r.action === "approve" ? "The mention is shown." : "The mention is hidden." }),
});
