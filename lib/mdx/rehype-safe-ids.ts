import GithubSlugger, { slug } from "github-slugger";
import type { Element, ElementContent, Root, RootContent } from "hast";

/**
 * Every `id` (and `name`) that page content produces starts with this. A
 * browser exposes elements by id as properties of `window` (named access), so
 * an id such as `__next_f` would replace the global Next.js's client reads
 * and the page's JavaScript would never start. With the prefix, and the `-`
 * in it, no content id is a JavaScript identifier or any global's name. It is
 * also remark-rehype's own prefix for footnote ids.
 */
export const CONTENT_ID_PREFIX = "user-content-";

export type TocEntry = { depth: number; id: string; text: string };

export type SafeIdsOptions = {
  /** Filled with the document's h2 and h3 headings, for the table of contents. */
  toc: TocEntry[];
};

const HEADINGS: ReadonlySet<string> = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
const ID_REFERENCES = ["ariaDescribedBy", "ariaLabelledBy"] as const;

/** The id a heading with this text gets (before de-duplication): the GitHub slug, prefixed. */
export function headingId(text: string): string {
  return CONTENT_ID_PREFIX + slug(text);
}

/**
 * Give headings ids (prefix + GitHub-style slug, unique in the page), prefix
 * every other `id` and `name` (footnotes' label), keep `aria-*` references
 * and in-page `#fragment` links pointing at the renamed targets, and list h2
 * and h3 headings for the table of contents. Runs last on the HTML tree.
 */
export function rehypeSafeIds(options: SafeIdsOptions) {
  return (tree: Root) => {
    const slugger = new GithubSlugger();
    const renamed = new Map<string, string>();
    const ids = new Set<string>();
    const elements: Element[] = [];
    collectElements(tree, elements);

    for (const element of elements) {
      const props = element.properties;
      const own = typeof props.id === "string" ? props.id : undefined;
      if (own === undefined && HEADINGS.has(element.tagName)) {
        const text = textOf(element);
        props.id = CONTENT_ID_PREFIX + slugger.slug(text);
        if (element.tagName === "h2" || element.tagName === "h3") {
          options.toc.push({ depth: Number(element.tagName.slice(1)), id: props.id, text });
        }
      } else if (own !== undefined && !own.startsWith(CONTENT_ID_PREFIX)) {
        props.id = CONTENT_ID_PREFIX + own;
        renamed.set(own, props.id);
      }
      if (typeof props.id === "string") ids.add(props.id);
      if (typeof props.name === "string" && !props.name.startsWith(CONTENT_ID_PREFIX)) props.name = CONTENT_ID_PREFIX + props.name;
    }

    for (const element of elements) {
      const props = element.properties;
      for (const key of ID_REFERENCES) {
        const value = props[key];
        if (Array.isArray(value)) props[key] = value.map((token) => renamed.get(String(token)) ?? token);
      }
      if (element.tagName === "a" && typeof props.href === "string" && props.href.startsWith("#")) {
        const target = fragmentTarget(props.href.slice(1), ids, renamed);
        if (target !== null) props.href = `#${target}`;
      }
    }
  };
}

/**
 * The id an in-page link `#fragment` means: the id itself, its prefixed form,
 * or the heading whose text slugs to it (`#Some heading`, `#some-heading`).
 * Null when nothing in the page matches (the link is left as written).
 */
function fragmentTarget(fragment: string, ids: ReadonlySet<string>, renamed: ReadonlyMap<string, string>): string | null {
  let decoded = fragment;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {}
  if (ids.has(decoded)) return encodeURIComponent(decoded);
  const candidates = [renamed.get(decoded), CONTENT_ID_PREFIX + decoded, headingId(decoded)];
  for (const candidate of candidates) if (candidate !== undefined && ids.has(candidate)) return encodeURIComponent(candidate);
  return null;
}

/** All elements in document order, without recursion (trees are depth-checked, but cheap to be safe). */
function collectElements(tree: Root, into: Element[]): void {
  const stack: (Root | RootContent)[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "element") into.push(node);
    if ("children" in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** The text of an element, as a reader sees it (hast-util-to-string's rule). */
function textOf(element: Element): string {
  let text = "";
  const stack: ElementContent[] = [...element.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "text") text += node.value;
    else if ("children" in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]! as ElementContent);
  }
  return text;
}
