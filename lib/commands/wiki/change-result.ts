import type { DomainEvent } from "@/lib/events/events";
import type { SaveResult } from "@/lib/wiki/page-updater";

/** What a revert, undo or rollback made: the page and its new revision. */
export type ChangeResult = { slug: string; revisionId: number; /** The revision restored or undone. */ of?: number };

/** The event of a save that produced a revision. */
export function savedEvent(result: SaveResult): DomainEvent {
  return { type: "page.saved", slug: result.page.slug, created: false, linksChanged: result.status === "saved" ? (result.linksChanged ?? []) : [] };
}
