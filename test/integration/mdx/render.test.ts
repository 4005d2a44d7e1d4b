import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderInWorker, validateInWorker } from "@/lib/workers/mdx-jobs";

const allComponents = `
## Media

<Callout type="tip" title="Try it">Markdown **inside** works.</Callout>

<Quote author="Howard Johnson" source="Comment on the origin post" date="2008">KM is the nursery</Quote>

<Comparison tkm="One sanctioned tool." sl="Many tools." title="Tools" />

<Figure src="/images/garden.jpg" alt="A garden bed" caption="Cuttings grow in context." />

<Video src="https://media.example.org/talk.mp4" caption="A talk" />

<Audio src="https://media.example.org/ep50.mp3" caption="PodCascadia, Episode 50" />

See [[Social learning|the concept]] and [the web](https://example.org).

| a | b |
| - | - |
| 1 | 2 |
`;

describe("the render worker", () => {
  it("renders every allowlisted component to static HTML", async () => {
    const out = await renderInWorker(allComponents);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.html).toContain('<aside class="callout callout-tip" role="note" aria-label="Try it">');
    expect(out.html).toContain("<strong>inside</strong>");
    expect(out.html).toMatch(/<figure class="quote"><blockquote>KM is the nursery<\/blockquote><figcaption>— Howard Johnson/);
    expect(out.html).toContain('<p class="comparison-label">Traditional knowledge management</p><p>One sanctioned tool.</p>');
    expect(out.html).toContain('<img src="/images/garden.jpg" alt="A garden bed"');
    expect(out.html).toContain('<video src="https://media.example.org/talk.mp4"');
    expect(out.html).toContain('<audio src="https://media.example.org/ep50.mp3" controls=""');
    expect(out.html).toContain('class="wikilink" data-wikilink="Social_learning">the concept</a>');
    expect(out.html).toContain("<table>");
    expect(out.toc).toEqual([{ depth: 2, id: "user-content-media", text: "Media" }]);
  });

  it("escapes text that looks like markup in props", async () => {
    const out = await renderInWorker('<Comparison tkm="&lt;script&gt;alert(1)&lt;/script&gt;" sl="x" />');
    if (!out.ok) throw new Error(out.message);
    expect(out.html).not.toContain("<script>");
    expect(out.html).toContain("&lt;script&gt;");
  });

  it.each(["js", "javascript"])("never evaluates ---%s front matter that reaches the bundler (the file it writes must not appear)", async (lang) => {
    const marker = path.join(tmpdir(), `propagate-pwned-${lang}-${process.pid}`);
    rmSync(marker, { force: true });
    const body = `---${lang}\nrequire('fs').writeFileSync('${marker}', 'x')\n---\n\nHello\n`;
    const out = await renderInWorker(body);
    expect(existsSync(marker)).toBe(false);
    if (out.ok) expect(out.html).not.toContain("writeFileSync(");
  });

  it("refuses to bundle a body that fails the allowlist", async () => {
    const out = await renderInWorker("import fs from 'fs'\n\nhello");
    expect(out).toMatchObject({ ok: false, kind: "invalid" });
  });

  it("answers a pathological body within the validation budget instead of hanging", async () => {
    const started = Date.now();
    const outcome = await validateInWorker("> a\n> b\n\n".repeat(8000));
    expect(Date.now() - started).toBeLessThan(7_000);
    if (outcome.ok) expect(outcome.issues.length).toBeGreaterThanOrEqual(0);
    else expect(outcome.kind).toBe("timeout");
    const after = await validateInWorker("A normal paragraph.");
    expect(after).toEqual({ ok: true, issues: [], links: [] });
  }, 20_000);
});

describe("a page that hides code behind a second front matter block", () => {
  const fence = "```";
  const source = ["---", 'title: "Smuggler"', "kind: concept", "summary: s", "---", "---", "x: |", "  " + fence, "---", "{process.env.DATABASE_URL}", fence, ""].join("\n");

  it("is refused by the renderer itself and by the save path, so nothing of it runs or is stored", async () => {
    const { splitFrontMatter } = await import("@/lib/wiki/front-matter");
    const outcome = await renderInWorker(splitFrontMatter(source).body);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.kind).toBe("invalid");
    expect(outcome.message).toMatch(/front matter/);
    expect(outcome.message).not.toContain("postgres");
    const { parseSource } = await import("@/lib/wiki/source");
    const parsed = await parseSource(source);
    expect(parsed.ok).toBe(false);
  });
});

describe("wiki links inside links", () => {
  it("stay text, so no link is nested in another", async () => {
    const outcome = await renderInWorker("[a **[[Inner]]**](https://example.org)\n");
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.html).toBe('<p><a href="https://example.org">a <strong>[[Inner]]</strong></a></p>');
  });
});
