import { tryParseTitle, type Title } from "./title";

/** `[[Target]]` or `[[Target|label]]`; targets cannot contain ] or |. */
export const WIKILINK_PATTERN = /\[\[([^[\]|\n]{1,255})(?:\|([^[\]\n]{1,500}))?\]\]/g;

export type WikiLink = { target: Title; label: string };

/** Find wiki links in a run of plain text (not code). Invalid targets are skipped. */
export function findWikiLinks(text: string): { index: number; length: number; link: WikiLink | null; raw: string }[] {
  const found: { index: number; length: number; link: WikiLink | null; raw: string }[] = [];
  for (const match of text.matchAll(WIKILINK_PATTERN)) {
    const target = tryParseTitle(match[1]!);
    const label = (match[2] ?? match[1]!).trim();
    found.push({ index: match.index, length: match[0].length, raw: match[0], link: target ? { target, label } : null });
  }
  return found;
}

/**
 * Slugs this MDX body links to, in order of first appearance. Code spans and
 * fenced code are ignored, as the renderer ignores them.
 */
export function extractLinkTargets(body: string): string[] {
  const withoutCode = body
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/`[^`\n]*`/g, "");
  const slugs = new Set<string>();
  for (const { link } of findWikiLinks(withoutCode)) if (link) slugs.add(link.target.slug);
  return [...slugs];
}
