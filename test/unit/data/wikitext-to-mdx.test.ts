import { describe, expect, it } from "vitest";
import { categoryTag, wikitextToMdx } from "@/lib/data/wikitext-to-mdx";

const sample = `Intro with '''bold''' and ''italic'', [[Main Page|the main page]], [[Foo]] and [https://example.org Example].
== History ==
* item one
** nested ''two''
# numbered
{| class="wikitable"
! Name !! Value
|-
| a || b
|}
Fact.<ref name="smith">Smith, ''Book'', [https://ref.example/a Ref site]</ref> Again.<ref name="smith"/>
{{Infobox person|name=Ada}} and {{#if: x | y }}
[[Category:Test pages]]
[[Category:Other|sort]]
<references />
`;

describe("wikitext to MDX", () => {
  const result = wikitextToMdx(sample, "Sample");

  it("converts headings, emphasis, internal and external links, lists and tables", () => {
    expect(result.mdx).toContain("Intro with **bold** and *italic*, [[Main Page|the main page]], [[Foo]] and [Example](https://example.org).");
    expect(result.mdx).toContain("\n## History\n");
    expect(result.mdx).toContain("- item one\n   - nested *two*");
    expect(result.mdx).toContain("1. numbered");
    expect(result.mdx).toContain("| Name | Value |\n| --- | --- |\n| a | b |");
  });

  it("puts references into sources (a named one once) and categories into tags", () => {
    expect(result.sources).toEqual([{ title: "Smith, Book, Ref site", url: "https://ref.example/a" }]);
    expect(result.mdx).toContain("Fact.\\[1\\] Again.\\[1\\]");
    expect(result.tags).toEqual(["test-pages", "other"]);
    expect(result.mdx).toMatch(/^---\ntitle: Sample\nkind: article\nsummary: Intro with bold and italic, the main page, Foo and \[Example\]\(https:\/\/example.org\)\.\ntags:\n {2}- test-pages\n {2}- other\n/);
  });

  it("keeps templates and parser functions visibly in fenced blocks and lists them", () => {
    expect(result.mdx).toContain("```wikitext\n{{Infobox person|name=Ada}}\n```");
    expect(result.mdx).toContain("```wikitext\n{{#if: x | y }}\n```");
    expect([...result.unconverted.entries()]).toEqual([
      ["template Infobox person", 1],
      ["parser function #if", 1],
    ]);
  });

  it("escapes what MDX would read as code or markup", () => {
    const r = wikitextToMdx("Use {braces} and <b>tags</b> and a * star", "Escapes");
    expect(r.mdx).toContain("Use \\{braces\\} and tags and a \\* star");
  });

  it("turns category names into valid tags", () => {
    expect(categoryTag("Living people (born 1900)")).toBe("living-people-born-1900");
    expect(categoryTag("!!!")).toBeNull();
  });
});
