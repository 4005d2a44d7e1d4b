import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { bundleMDX } from "mdx-bundler";
import { parse as parseYaml } from "yaml";
import { checkSource, MdxValidationError } from "./allowlist-rules";
import { mdxComponents } from "./components";
import { evaluateBundle } from "./evaluate";
import { newPipelineRun, pipelineOptions, type PipelineRun } from "./pipeline";
import type { TocEntry } from "./rehype-safe-ids";

export { MdxValidationError } from "./allowlist-rules";
export type { TocEntry } from "./rehype-safe-ids";
export type RenderResult = { html: string; toc: TocEntry[] };

const refuseEngine = () => {
  throw new Error("Only YAML front matter is allowed.");
};

/**
 * Compile an MDX body (front matter already removed) with mdx-bundler, whose
 * pipeline holds the allowlist (pipeline.ts). Returns code only when the
 * allowlist passed the very tree this compile turned into code; a refused
 * body throws {@link MdxValidationError} and is never turned into code.
 * `run` receives what the pipeline found (tests pass their own).
 */
export async function compileBody(body: string, run: PipelineRun = newPipelineRun()): Promise<{ code: string; toc: TocEntry[] }> {
  // mdx-bundler hands the source to gray-matter before compiling; a body the allowlist
  // refuses on sight (front matter, size, nesting) does not even get that far.
  const early = checkSource(body);
  if (early) throw new MdxValidationError([early]);
  let code: string;
  try {
    ({ code } = await bundleMDX({
      source: body,
      mdxOptions: (options) => ({ ...options, ...pipelineOptions(run) }),
      // A refused page is an outcome, not something to print on the worker's stderr.
      esbuildOptions: (options) => ({ ...options, logLevel: "silent" }),
      // gray-matter only reads a body that starts with ---, refused above; harden it regardless.
      grayMatterOptions: (options) => ({
        ...options,
        engines: { yaml: (s: string) => (parseYaml(s) ?? {}) as object, js: refuseEngine, javascript: refuseEngine },
      }),
    }));
  } catch (error) {
    if (run.allowlist.verdict === "refused") throw new MdxValidationError(run.allowlist.issues);
    throw error;
  }
  if (run.allowlist.verdict !== "passed") throw new Error("The allowlist did not check this page, so it is not run.");
  return { code, toc: run.toc };
}

/**
 * Compile a body ({@link compileBody}) and render it to static HTML. Runs in
 * the render worker: this is the only place that evaluates compiled MDX.
 */
export async function renderBody(body: string): Promise<RenderResult> {
  const { code, toc } = await compileBody(body);
  const Component = evaluateBundle(code);
  const html = renderToStaticMarkup(createElement(Component, { components: mdxComponents }));
  return { html, toc };
}
