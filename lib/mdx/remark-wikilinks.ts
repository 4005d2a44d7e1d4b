import type { Link, PhrasingContent, Root, Text } from "mdast";
import { SKIP, visitParents } from "unist-util-visit-parents";
import { insideLink } from "@/lib/wikitext/link-targets";
import { findWikiLinks } from "@/lib/wikitext/wikilink";
import { pagePath } from "@/lib/wikitext/title";


/**
 * Turn `[[Target]]` and `[[Target|label]]` in text into links marked with
 * `data-wikilink`, so a page view can colour links to missing pages red.
 */
export function remarkWikiLinks() {
  return (tree: Root) => {
    visitParents(tree, "text", (node: Text, ancestors) => {
      const parent = ancestors.at(-1) as Extract<Root["children"][number], { children: unknown[] }> | Root | undefined;
      // No link inside a link, however deep (a wiki link in bold link text stays text).
      if (!parent || insideLink(ancestors)) return;
      const index = (parent.children as unknown[]).indexOf(node);
      const found = findWikiLinks(node.value);
      if (found.length === 0) return;
      const parts: PhrasingContent[] = [];
      let at = 0;
      for (const { index: start, length, link, raw } of found) {
        if (start > at) parts.push({ type: "text", value: node.value.slice(at, start) });
        if (link) {
          const anchor: Link = {
            type: "link",
            url: pagePath(link.target.slug),
            title: link.target.title,
            children: [{ type: "text", value: link.label }],
            data: { hProperties: { className: ["wikilink"], "data-wikilink": link.target.slug } },
          };
          parts.push(anchor);
        } else {
          parts.push({ type: "text", value: raw });
        }
        at = start + length;
      }
      if (at < node.value.length) parts.push({ type: "text", value: node.value.slice(at) });
      parent.children.splice(index, 1, ...(parts as typeof parent.children));
      return [SKIP, index + parts.length];
    });
  };
}

/** Slugs of the wiki links {@link remarkWikiLinks} made in a tree, in order of first appearance. */
export function wikiLinkTargets(tree: Root): string[] {
  const slugs = new Set<string>();
  visitParents(tree, "link", (node: Link) => {
    const slug = node.data?.hProperties?.["data-wikilink"];
    if (typeof slug === "string") slugs.add(slug);
  });
  return [...slugs];
}
