import type { Nodes, Root } from "mdast";
import { visitParents } from "unist-util-visit-parents";
import { tryParseTitle } from "@/lib/wikitext/title";
import { fileProps, isAllowedComponentName } from "./allowlist";

/**
 * Slugs of the uploaded files a (checked) tree shows through its components'
 * `File:…` props: they are links to the files' pages, so a file page lists
 * the pages that use it, and a new upload of it purges them.
 */
export function fileRefTargets(tree: Root): string[] {
  const slugs = new Set<string>();
  visitParents(tree, ["mdxJsxFlowElement", "mdxJsxTextElement"], (node) => {
    const element = node as Extract<Nodes, { type: "mdxJsxFlowElement" | "mdxJsxTextElement" }>;
    if (!element.name || !isAllowedComponentName(element.name)) return;
    const props = fileProps[element.name] as readonly string[];
    for (const attribute of element.attributes) {
      if (attribute.type !== "mdxJsxAttribute" || !props.includes(attribute.name) || typeof attribute.value !== "string") continue;
      if (!attribute.value.startsWith("File:")) continue;
      const title = tryParseTitle(attribute.value);
      if (title) slugs.add(title.slug);
    }
  });
  return [...slugs];
}
