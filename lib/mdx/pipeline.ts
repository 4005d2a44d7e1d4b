import { createProcessor, type ProcessorOptions } from "@mdx-js/mdx";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import type { MdxIssue } from "./allowlist-rules";
import { newAllowlistReport, remarkAllowlist, type AllowlistReport } from "./remark-allowlist";
import { CONTENT_ID_PREFIX, rehypeSafeIds, type TocEntry } from "./rehype-safe-ids";
import { remarkWikiLinks } from "./remark-wikilinks";

/** What one run of the pipeline found: the allowlist's verdict, and the table of contents once it passed. */
export type PipelineRun = { allowlist: AllowlistReport; toc: TocEntry[] };

export function newPipelineRun(): PipelineRun {
  return { allowlist: newAllowlistReport(), toc: [] };
}

/**
 * The one MDX pipeline, as options for @mdx-js/mdx's processor: mdx-bundler
 * compiles pages with it (render.tsx) and saves are checked with it
 * ({@link checkMdxBody}). The whole remark list is ours; mdx-bundler's own
 * (front matter turned into an `export`) is replaced. The allowlist is the
 * last mdast transform, so the tree it passed is the tree turned into HTML
 * and JavaScript, and a refused tree goes no further.
 */
export function pipelineOptions(run: PipelineRun, lineOffset = 0): ProcessorOptions {
  return {
    format: "mdx",
    jsxImportSource: "react",
    remarkPlugins: [
      // A front matter block is parsed as such (and then refused): never as a rule and text.
      [remarkFrontmatter, ["yaml", "toml"]],
      remarkGfm,
      remarkWikiLinks,
      [remarkAllowlist, { report: run.allowlist, lineOffset }],
    ],
    remarkRehypeOptions: { clobberPrefix: CONTENT_ID_PREFIX },
    rehypePlugins: [[rehypeSafeIds, { toc: run.toc }]],
  };
}

export type MdxCheck = { issues: MdxIssue[]; links: string[] };

/**
 * Run a body through the pipeline up to (not including) printing the
 * JavaScript, and report what the allowlist found: issues with line and
 * column (shifted by `lineOffset`), or the outgoing wiki links. Nothing is
 * evaluated. Throws only when the pipeline itself fails after the allowlist
 * passed the body. `run` receives what the pipeline found (tests pass their own).
 */
export function checkMdxBody(body: string, options: { lineOffset?: number; run?: PipelineRun } = {}): MdxCheck {
  const run = options.run ?? newPipelineRun();
  const processor = createProcessor(pipelineOptions(run, options.lineOffset ?? 0));
  try {
    const tree = processor.parse(body);
    processor.runSync(tree as unknown as Parameters<typeof processor.runSync>[0]);
  } catch (error) {
    if (run.allowlist.verdict !== "refused") throw error;
  }
  return { issues: run.allowlist.issues, links: run.allowlist.links };
}
