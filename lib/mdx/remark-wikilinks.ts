import type { Link, PhrasingContent, Root, Text } from "mdast";
import { SKIP, visit } from "unist-util-visit";
import { findWikiLinks } from "@/lib/wiki/wikilink";
import { pagePath } from "@/lib/wiki/title";

/**
 * Turn `[[Target]]` and `[[Target|label]]` in text into links marked with
 * `data-wikilink`, so a page view can colour links to missing pages red.
 */
export function remarkWikiLinks() {
  return (tree: Root) => {
    visit(tree, "text", (node: Text, index, parent) => {
      if (!parent || index === undefined || parent.type === "link" || parent.type === "linkReference") return;
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
