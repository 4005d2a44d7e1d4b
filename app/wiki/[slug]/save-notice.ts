/**
 * Which confirmation a page shows after a save (`?created=1`, `?merged=1`,
 * `?saved=1`, from the editor's action). The address alone is anyone's to
 * write, so a notice is shown only to the author of the page's latest
 * revision, soon after they saved it: a crafted link shows a stranger
 * nothing (MediaWiki keeps its post-edit notice in the author's session for
 * the same reason). The page is the same HTML for every reader (the page
 * cache shares it), so the browser decides, with who it is from /api/me.
 */
export type SaveNotice = "created" | "merged" | "saved";

/** How long after a save its confirmation is still shown to its author. */
export const SAVE_NOTICE_MS = 10 * 60 * 1000;

/** What the address asks to confirm, if anything. */
export function askedNotice(query: Record<string, string | string[] | undefined>): SaveNotice | null {
  return query.created === "1" ? "created" : query.merged === "1" ? "merged" : query.saved === "1" ? "saved" : null;
}

/** The confirmation this reader sees: only the latest revision's author, within SAVE_NOTICE_MS of the save. */
export function saveNotice(
  asked: SaveNotice | null,
  view: { readerName: string | null; authorName: string | null; isLatest: boolean; revisionNumber: number; savedAt: number; now: number },
): SaveNotice | null {
  if (!asked || !view.readerName || view.readerName !== view.authorName || !view.isLatest) return null;
  const age = view.now - view.savedAt;
  // A minute of leeway for a browser clock a little behind the server's.
  if (age < -60_000 || age > SAVE_NOTICE_MS) return null;
  // "Created" only of a page's first revision; a later save of the page by its creator is just saved.
  if (asked === "created" && view.revisionNumber !== 1) return "saved";
  return asked;
}
