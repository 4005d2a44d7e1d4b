import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { CONTENT_ID_PREFIX, headingId } from "@/lib/mdx/rehype-safe-ids";
import { renderBody } from "@/lib/mdx/render";

/** Names a browser or Next.js reads from `window`; as bare ids they would be shadowed by named access. */
const GLOBALS = ["__next_f", "__next_s", "__NEXT_DATA__", "__webpack_require__", "webpackChunk_N_E", "self", "document", "location", "top", "name", "parent", "opener", "frames", "window", "__proto__", "constructor"];

/** Every `id` and `name` attribute in the HTML, with an independent parser. */
function idsAndNames(html: string): string[] {
  const found: string[] = [];
  for (const element of DomUtils.findAll(() => true, parseDocument(html).children)) {
    for (const key of ["id", "name"]) if (element.attribs[key] !== undefined) found.push(element.attribs[key]);
  }
  return found;
}

function hrefs(html: string): string[] {
  return DomUtils.findAll((e) => e.name === "a", parseDocument(html).children).map((a) => a.attribs.href ?? "");
}

const isIdentifier = (s: string) => /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$\u200c\u200d]*$/u.test(s);

describe("heading ids", () => {
  it("are the GitHub slug behind a prefix that no JavaScript identifier can have", () => {
    expect(CONTENT_ID_PREFIX).toContain("-");
    for (const name of GLOBALS) {
      expect(headingId(name).startsWith(CONTENT_ID_PREFIX)).toBe(true);
      expect(isIdentifier(headingId(name)), headingId(name)).toBe(false);
    }
    expect(headingId("Some heading")).toBe("user-content-some-heading");
    expect(headingId("__next_f")).toBe("user-content-__next_f");
  });

  it("of headings named after globals never equal a global's name", async () => {
    const body = GLOBALS.map((g) => `## \`${g}\`\n\n## ${g.replace(/_/g, "\\_")}\n`).join("\n");
    const { html, toc } = await renderBody(body);
    const ids = idsAndNames(html);
    expect(ids).toHaveLength(GLOBALS.length * 2);
    for (const id of ids) {
      expect(id.startsWith(CONTENT_ID_PREFIX), id).toBe(true);
      expect(GLOBALS).not.toContain(id);
    }
    expect(toc.map((e) => e.id)).toEqual(ids);
    expect(toc[0]).toEqual({ depth: 2, id: "user-content-__next_f", text: "__next_f" });
  });

  it("are unique in a page, and the table of contents lists h2 and h3 with their text", async () => {
    const { html, toc } = await renderBody("# Top\n\n## Intro\n\n### Intro\n\n## Intro & *more*\n\n#### Deep\n");
    expect(idsAndNames(html)).toEqual(["user-content-top", "user-content-intro", "user-content-intro-1", "user-content-intro--more", "user-content-deep"]);
    expect(toc).toEqual([
      { depth: 2, id: "user-content-intro", text: "Intro" },
      { depth: 3, id: "user-content-intro-1", text: "Intro" },
      { depth: 2, id: "user-content-intro--more", text: "Intro & more" },
    ]);
  });
});

describe("in-page links written in content", () => {
  it("land on the heading whether written as its slug, its text or its id", async () => {
    const body = [
      "## Some heading",
      "",
      "## Some heading",
      "",
      "## __next\\_f",
      "",
      "[a](#some-heading) [b](<#Some heading>) [c](#Some%20heading) [d](#some-heading-1) [e](#user-content-some-heading) [f](#__next_f) [g](#nowhere) [h](/wiki/Adoption#history)",
      "",
    ].join("\n");
    const { html } = await renderBody(body);
    expect(hrefs(html)).toEqual([
      "#user-content-some-heading",
      "#user-content-some-heading",
      "#user-content-some-heading",
      "#user-content-some-heading-1",
      "#user-content-some-heading",
      "#user-content-__next_f",
      "#nowhere",
      "/wiki/Adoption#history",
    ]);
  });
});

describe("footnotes", () => {
  it("get prefixed ids, and their links and labels still point at them", async () => {
    const { html } = await renderBody("Text[^__next_f] and more[^self].\n\n[^__next_f]: One.\n[^self]: Two.\n");
    const ids = idsAndNames(html);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.startsWith(CONTENT_ID_PREFIX), id).toBe(true);
    for (const href of hrefs(html)) expect(ids).toContain(href.slice(1));
    const described = DomUtils.findAll((e) => e.attribs["aria-describedby"] !== undefined, parseDocument(html).children);
    expect(described.length).toBe(2);
    for (const e of described) expect(ids).toContain(e.attribs["aria-describedby"]);
  });
});

describe("components", () => {
  it("render no id or name attribute from any prop", async () => {
    const body = [
      '<Callout type="tip" title="__next_f">x</Callout>',
      '<Quote author="self" source="document" href="https://example.org" date="top">q</Quote>',
      '<Comparison tkm="location" sl="name" title="__NEXT_DATA__" />',
      '<Figure src="/a.png" alt="__next_s" caption="window" width="1" height="1" />',
      '<Video src="/a.mp4" caption="opener" poster="/p.jpg" title="parent" />',
      '<Audio src="/a.mp3" caption="frames" title="top" />',
      "",
    ].join("\n\n");
    const { html } = await renderBody(body);
    expect(idsAndNames(html)).toEqual([]);
  });
});
