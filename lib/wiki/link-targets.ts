import { checkMdxBody } from "@/lib/mdx/validate";
import { extractLinkTargets } from "@/lib/wikitext/wikilink";

/**
 * Slugs a page body links to, in order of first appearance: the wiki links
 * the renderer makes, read from the compiler's own tree (code of any kind and
 * text inside links do not count). A body the allowlist refuses is never
 * rendered; its links are estimated from the text.
 */
export function linkTargets(body: string): string[] {
  const { issues, links } = checkMdxBody(body);
  return issues.length === 0 ? links : extractLinkTargets(body);
}
