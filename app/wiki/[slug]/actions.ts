"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { pagePath } from "@/lib/wikitext/title";
import { deletePageCommand, restorePageCommand } from "@/lib/commands/wiki/delete-page";
import { protectPageCommand } from "@/lib/commands/wiki/protect-page";
import { ratePageCommand } from "@/lib/commands/wiki/rate-page";
import { renamePageCommand } from "@/lib/commands/wiki/rename-page";
import { watchPageCommand } from "@/lib/commands/wiki/watch-page";

export type RatingData = { average: number | null; count: number };
export type WatchData = { watching: boolean };
export type PageLinkData = { href: string };

export const rateAction = formAction(ratePageCommand, {
  present: (r): FormState<RatingData> => ({ ok: true, message: `You rated this page ${r.value} out of 5.`, data: { average: r.average, count: r.count } }),
});

export const watchAction = formAction(watchPageCommand, {
  present: (r): FormState<WatchData> => ({ ok: true, message: r.watching ? "Added to your watchlist." : "Removed from your watchlist.", data: { watching: r.watching } }),
});

export const protectAction = formAction(protectPageCommand, {
  present: (r): FormState<PageLinkData> => ({ ok: true, message: r.protected ? "The page is protected." : "Protection lifted.", data: { href: pagePath(r.slug) } }),
});

export const deleteAction = formAction(deletePageCommand, {
  present: (r): FormState<PageLinkData> => ({ ok: true, message: "The page was deleted; its history is kept.", data: { href: pagePath(r.slug) } }),
});

export const restoreAction = formAction(restorePageCommand, {
  present: (r): FormState<PageLinkData> => ({ ok: true, message: "The page was restored with its history.", data: { href: pagePath(r.slug) } }),
});

export const moveAction = formAction(renamePageCommand, {
  present: (r): FormState<PageLinkData> => ({ ok: true, message: `Renamed to ${r.title}.`, data: { href: pagePath(r.slug) } }),
});
