import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { bundleMDX } from "mdx-bundler";
import rehypeSlug from "rehype-slug";
import remarkGfm from "remark-gfm";
import { parse as parseYaml } from "yaml";
import { mdxComponents } from "./components";
import { evaluateBundle } from "./evaluate";
import { remarkWikiLinks } from "./remark-wikilinks";
import { validateMdxBody, type MdxIssue } from "./validate";

export type TocEntry = { depth: number; id: string; text: string };
export type RenderResult = { html: string; toc: TocEntry[] };

/** The body failed validation; nothing was bundled. */
export class MdxValidationError extends Error {
  override name = "MdxValidationError";
  constructor(readonly issues: MdxIssue[]) {
    super(issues.map((i) => `Line ${i.line}, column ${i.column}: ${i.message}`).join("\n"));
  }
}

const refuseEngine = () => {
  throw new Error("Only YAML front matter is allowed.");
};

/**
 * Validate, bundle and render an MDX body (front matter already removed) to
 * static HTML. Runs in the render worker: this is the only place that
 * evaluates compiled MDX, and only after the allowlist accepted the source.
 */
export async function renderBody(body: string): Promise<RenderResult> {
  const issues = validateMdxBody(body);
  if (issues.length > 0) throw new MdxValidationError(issues);
  const { code } = await bundleMDX({
    source: body,
    mdxOptions(options) {
      options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkWikiLinks];
      options.rehypePlugins = [...(options.rehypePlugins ?? []), rehypeSlug];
      return options;
    },
    // Front matter was split off already; harden gray-matter regardless.
    grayMatterOptions: (options) => ({
      ...options,
      engines: { yaml: (s: string) => (parseYaml(s) ?? {}) as object, js: refuseEngine, javascript: refuseEngine },
    }),
  });
  const Component = evaluateBundle(code);
  const html = renderToStaticMarkup(createElement(Component, { components: mdxComponents }));
  return { html, toc: tableOfContents(html) };
}

/** Headings h2–h3 with their ids, for the page's table of contents. */
export function tableOfContents(html: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const m of html.matchAll(/<h([23]) id="([^"]+)">([\s\S]*?)<\/h\1>/g)) {
    const text = m[3]!.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
    entries.push({ depth: Number(m[1]), id: m[2]!, text });
  }
  return entries;
}
