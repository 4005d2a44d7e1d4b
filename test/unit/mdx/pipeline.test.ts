import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { MdxValidationError } from "@/lib/mdx/allowlist-rules";
import { checkMdxBody, newPipelineRun } from "@/lib/mdx/pipeline";
import { remarkAllowlist } from "@/lib/mdx/remark-allowlist";
import { remarkWikiLinks } from "@/lib/mdx/remark-wikilinks";
import { compileBody } from "@/lib/mdx/render";

const fence = "```";

/** Bodies the allowlist refuses, each with a heading, so reaching the HTML stage would fill the table of contents. */
const refused: Record<string, string> = {
  expression: "## Title\n\n{process.exit(1)}\n",
  "expression in a prop": '## Title\n\n<Callout title={process.env.SECRET}>x</Callout>\n',
  esm: "## Title\n\nimport fs from 'fs'\n\ntext\n",
  "export": "## Title\n\nexport const x = globalThis.process\n",
  "html element": "## Title\n\n<script>alert(1)</script>\n",
  "unknown component": "## Title\n\n<Evil />\n",
  "spread props": "## Title\n\n<Callout {...globalThis}>x</Callout>\n",
  "javascript: link": "## Title\n\n[x](javascript:alert(1))\n",
  "second front matter (the old exploit)": ["---", "x: |", "  " + fence, "---", "## Title", "{String(process.getBuiltinModule('child_process').execSync('id'))}", fence, ""].join("\n"),
  "front matter after a BOM": "\uFEFF---\nx: 1\n---\n\n## Title\n",
  "html comment": "## Title\n\n<!-- hidden -->\n",
  "malformed MDX": "## Title\n\n<Callout>\n",
};

/** Plugin names of a frozen processor, in the order they run. */
function pluginNames(processor: unknown): string[] {
  const { attachers } = processor as { attachers: [(...args: unknown[]) => unknown, ...unknown[]][] };
  return attachers.map(([plugin]) => plugin.name);
}

describe("one MDX pipeline: the allowlist runs inside the compiler", () => {
  it("mdx-bundler's compile runs the allowlist as the last mdast transform, right before the tree becomes HTML", async () => {
    const run = newPipelineRun();
    await compileBody("## Hello\n\nWorld.\n", run);
    expect(run.allowlist.verdict).toBe("passed");
    const processor = run.allowlist.processor as unknown as { attachers: [unknown, ...unknown[]][] };
    expect(processor).not.toBeNull();
    const names = pluginNames(processor);
    // The parser, MDX syntax, then only our plugins; mdx-bundler's own front-matter-to-export plugin is gone.
    expect(names.slice(0, 3)).toEqual(["remarkParse", "remarkMdx", "remarkMarkAndUnravel"]);
    expect(processor.attachers.slice(3, 7).map(([plugin]) => plugin)).toEqual([remarkFrontmatter, remarkGfm, remarkWikiLinks, remarkAllowlist]);
    expect(names[7]).toBe("remarkRehype");
    expect(names).not.toContain("remarkMdxFrontmatter");
    expect(names.filter((n) => n === "remarkAllowlist")).toHaveLength(1);
  });

  it("the save-time check runs the same plugins in the same order", async () => {
    const compiled = newPipelineRun();
    await compileBody("Text.\n", compiled);
    const checked = newPipelineRun();
    checkMdxBody("Text.\n", { run: checked });
    expect(checked.allowlist.processor).not.toBe(compiled.allowlist.processor);
    expect(pluginNames(checked.allowlist.processor)).toEqual(pluginNames(compiled.allowlist.processor));
  });

  it.each(Object.entries(refused))("a refused body (%s) never reaches the HTML or code stages, at save or at render", async (_, body) => {
    const saved = newPipelineRun();
    const { issues } = checkMdxBody(body, { run: saved });
    expect(issues.length).toBeGreaterThan(0);
    expect(saved.allowlist.verdict).toBe("refused");
    expect(saved.toc).toEqual([]);

    const rendered = newPipelineRun();
    const error = await compileBody(body, rendered).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MdxValidationError);
    expect((error as MdxValidationError).issues).toEqual(issues);
    expect(rendered.toc).toEqual([]);
  });

  it("a body that passes reaches the HTML stage (the probe above would see it)", async () => {
    const run = newPipelineRun();
    await compileBody("## Title\n\nText.\n", run);
    expect(run.toc).toEqual([{ depth: 2, id: "user-content-title", text: "Title" }]);
  });

  it("saves and renders agree on every body", async () => {
    const accepted = ["Plain text.\n", "## A\n\n[[Page]] and [b](/wiki/B).\n", `${fence}js\n{process.exit()}\n${fence}\n`, "Text\n\n---\n\nMore.\n", "\n---\n\nText.\n"];
    for (const body of [...accepted, ...Object.values(refused)]) {
      const check = checkMdxBody(body);
      const compiled = await compileBody(body).then(
        () => true,
        () => false,
      );
      expect(compiled, body).toBe(check.issues.length === 0);
    }
  });

  it("reports the outgoing wiki links from the checked tree, and none for a refused body", () => {
    expect(checkMdxBody("See [[Alpha]], `[[Code]]`, [x **[[Inside]]**](/a) and [[Beta|b]].\n").links).toEqual(["Alpha", "Beta"]);
    expect(checkMdxBody("See [[Alpha]].\n\n{x}\n").links).toEqual([]);
  });
});
