import { beforeEach, describe, expect, it } from "vitest";
import { previewSource } from "@/lib/wiki/preview";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, conceptSource } from "../../support/factories";

beforeEach(resetDatabase);

// The editor shows the preview's HTML as is (dangerouslySetInnerHTML), so it must only
// ever come out of the validated pipeline: these are the pipeline's answers to hostile text.
describe("the editor's preview", () => {
  it("renders allowed MDX through the real pipeline, with live red links", async () => {
    const db = testDb();
    await buildPage(db, "Exists", conceptSource("Exists"));
    const result = await previewSource(db, conceptSource("Draft", "Hello **world**, see [[Exists]] and [[Missing page]].\n"), "tester");
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.html).toContain("<strong>world</strong>");
    expect(result.html).toContain('href="/wiki/Exists"');
    expect(result.html).toMatch(/class="wikilink new"[^>]*data-wikilink="Missing_page"/);
  });

  it.each([
    ["a script element", "<script>alert(1)</script>\n"],
    ["an expression", "{process.env.DATABASE_URL}\n"],
    ["an event handler prop", '<Callout onClick="alert(1)">x</Callout>\n'],
    ["a javascript: link", "[x](javascript:alert(1))\n"],
    ["raw HTML", '<img src=x onerror="alert(1)">\n'],
  ])("refuses %s with an issue and no HTML", async (_what, body) => {
    const result = await previewSource(testDb(), conceptSource("Draft", body), "tester");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toContain("postgres://");
  });

  it("refuses code hidden behind a second front matter block right after the first", async () => {
    const source = ["---", 'title: "Draft"', "kind: concept", "summary: s", "---", "---", "x: |", "  ```", "---", "{process.env.DATABASE_URL}", "```", ""].join("\n");
    const result = await previewSource(testDb(), source, "tester");
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("postgres://");
  });

  it("shows a rule after a blank line as a rule, with what follows as text (both parsers agree)", async () => {
    const result = await previewSource(testDb(), conceptSource("Draft", "---\nx: |\n  ```\n---\n{process.env.DATABASE_URL}\n```\n"), "tester");
    // Either refused or inert: never the expression's value.
    expect(JSON.stringify(result)).not.toContain("postgres://");
    if (result.ok) expect(result.html).toContain("<hr/>");
  });
});
