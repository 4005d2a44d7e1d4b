import type { Root } from "mdast";
import { visitParents } from "unist-util-visit-parents";
import { findWikiLinks } from "./wikilink";

/** Whether a wiki link in this text would be rendered: not inside a link (see remark-wikilinks). */
export function insideLink(ancestors: readonly { type: string }[]): boolean {
  return ancestors.some((a) => a.type === "link" || a.type === "linkReference");
}

/**
 * Slugs a parsed page body links to, in order of first appearance, read
 * exactly where the renderer makes links: text outside code and outside links
 * (the validator's tree, in the worker; lib/wiki/link-targets parses a body).
 */
export function linkTargetsOfTree(tree: Root): string[] {
  const slugs = new Set<string>();
  visitParents(tree, "text", (node, ancestors) => {
    if (insideLink(ancestors)) return;
    for (const { link } of findWikiLinks(node.value)) if (link) slugs.add(link.target.slug);
  });
  return [...slugs];
}
