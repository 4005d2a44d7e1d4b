import { describe, expect, it } from "vitest";
import { extractLinkTargets, findWikiLinks } from "@/lib/wiki/wikilink";

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
