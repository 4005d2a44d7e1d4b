import type { Root } from "mdast";
import { parseMdxBody } from "@/lib/mdx/validate";
import { linkTargetsOfTree } from "@/lib/wikitext/link-targets";
import { extractLinkTargets } from "@/lib/wikitext/wikilink";

/**
 * Slugs a page body links to, in order of first appearance, read from the
 * parsed text exactly where the renderer makes links: code of any kind
 * (fenced, indented, inside lists) and text inside links do not count.
 */
export function linkTargets(body: string): string[] {
  let tree: Root;
  try {
    tree = parseMdxBody(body);
  } catch {
    return extractLinkTargets(body); // unparsable bodies are refused elsewhere; be lenient here
  }
  return linkTargetsOfTree(tree);
}
