import type { Root } from "mdast";
import { visitParents } from "unist-util-visit-parents";
import { parseMdxBody } from "@/lib/mdx/validate";
import { extractLinkTargets, findWikiLinks } from "./wikilink";

/** Whether a wiki link in this text would be rendered: not inside a link (see remark-wikilinks). */
export function insideLink(ancestors: readonly { type: string }[]): boolean {
  return ancestors.some((a) => a.type === "link" || a.type === "linkReference");
}

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

/** {@link linkTargets} of an already parsed body (the validator's tree, in the worker). */
export function linkTargetsOfTree(tree: Root): string[] {
  const slugs = new Set<string>();
  visitParents(tree, "text", (node, ancestors) => {
    if (insideLink(ancestors)) return;
    for (const { link } of findWikiLinks(node.value)) if (link) slugs.add(link.target.slug);
  });
  return [...slugs];
}
