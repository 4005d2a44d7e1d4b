import { describe, expect, it } from "vitest";
import { extractLinkTargets, findWikiLinks } from "@/lib/wikitext/wikilink";

describe("wiki links", () => {
  it("finds [[Title]] and [[Title|label]] with normalised targets", () => {
    const found = findWikiLinks("See [[social learning]] and [[One_tool_or_many|many tools]].");
    expect(found.map((f) => [f.link?.target.slug, f.link?.label])).toEqual([
      ["Social_learning", "social learning"],
      ["One_tool_or_many", "many tools"],
    ]);
  });

  it("extracts each target once, ignoring code spans and fenced code", () => {
    const body = "[[A]] and `[[B]]`\n\n```\n[[C]]\n```\n\n[[A|again]] [[D]]";
    expect(extractLinkTargets(body)).toEqual(["A", "D"]);
  });

  it("skips targets that are not valid titles", () => {
    expect(extractLinkTargets("[[a{b}]] [[ok]]")).toEqual(["Ok"]);
  });
});

describe("link targets of a body, as the renderer sees it", () => {
  it("counts wiki links in text, lists, tables and components, in order", async () => {
    const { linkTargets } = await import("@/lib/wiki/link-targets");
    const body = "See [[Alpha]].\n\n- item [[Bravo]]\n\n| a |\n| - |\n| [[Charlie]] |\n\n<Callout>About [[Delta]].</Callout>\n\n[[Alpha]] again.\n";
    expect(linkTargets(body)).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
  });

  it("ignores code of every kind and text inside links", async () => {
    const { linkTargets } = await import("@/lib/wiki/link-targets");
    const body = [
      "Real [[Kept]].",
      "",
      "    indented [[Indented]] (MDX has no indented code: this is text, and a link)",
      "",
      "- item",
      "",
      "  ```",
      "  [[In list fence]]",
      "  ```",
      "",
      "````",
      "```",
      "[[Four backticks]]",
      "````",
      "",
      "`[[Inline]]` and [a **[[Inside link]]**](https://example.org).",
      "",
    ].join("\n");
    expect(linkTargets(body)).toEqual(["Kept", "Indented"]);
  });
});
