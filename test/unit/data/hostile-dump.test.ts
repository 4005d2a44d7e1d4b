import { describe, expect, it } from "vitest";
import { pageFile } from "@/lib/data/git-export";
import { MAX_TEXT_RUN, readMediawikiDump } from "@/lib/data/mediawiki-dump";
import { cleanForeignName } from "@/lib/text";

async function* chunks(parts: Iterable<string>) {
  yield* parts;
}

describe("git export paths", () => {
  it("a title with a .git part (any case, NTFS spellings) gets a file git will check out", () => {
    expect(pageFile("Notes/.git/config")).toBe("N/Notes/~.git/config.mdx");
    expect(pageFile("A/.GIT/x")).toBe("A/A/~.GIT/x.mdx");
    expect(pageFile("A/.git. ./x")).toBe("A/A/~.git. ./x.mdx");
    expect(pageFile("A/git~1/x")).toBe("A/A/~git~1/x.mdx");
    expect(pageFile("A/.git:stream")).toBe("A/A/~.git:stream.mdx");
    expect(pageFile(".gitignore")).toBe("_/.gitignore.mdx");
  });

  it("no two slugs share a file (an escaped part cannot be another page's own)", () => {
    const slugs = ["A/.git/x", "A/~.git/x", "A/~~.git/x", "A/~x/y", "A/x/y"];
    expect(new Set(slugs.map(pageFile)).size).toBe(slugs.length);
  });
});

describe("names from a dump", () => {
  it("drop invisible and direction-changing characters and line breaks, and are bounded", () => {
    expect(cleanForeignName("Ad\u202Emin\nM 100644 inline ../x", 85)).toBe("Admin M 100644 inline ../x");
    expect(cleanForeignName("a\u200Bb\u00ADc", 85)).toBe("abc");
    expect([...cleanForeignName("x".repeat(20_000), 85)]).toHaveLength(85);
    expect(cleanForeignName("\u200B\u202E", 85)).toBe("");
  });
});

describe("the dump reader", () => {
  it("stops with a clear error at a text longer than any page can be, before the XML parser holds it", async () => {
    const head = `<mediawiki version="0.11"><page><title>Huge</title><ns>0</ns><revision><id>1</id><timestamp>2021-03-01T09:00:00Z</timestamp><contributor><username>U</username></contributor><model>wikitext</model><text>`;
    const piece = "a".repeat(1024 * 1024);
    const parts = function* () {
      yield head;
      // A never-ending element, fed a MiB at a time: the reader must stop soon after the limit.
      for (let i = 0; i < MAX_TEXT_RUN / piece.length + 4; i++) yield piece;
      throw new Error("the reader read past the limit");
    };
    const pages = async () => {
      for await (const _ of readMediawikiDump(chunks(parts()))) void _;
    };
    await expect(pages()).rejects.toThrow(/in <text> of page "Huge", the dump holds more than 16 MB of text without markup/);
  });

  it("reads long texts made of many elements, whatever the chunks", async () => {
    const revision = (i: number) => `<revision><id>${i}</id><timestamp>2021-03-01T09:00:00Z</timestamp><contributor><ip>192.0.2.1</ip></contributor><model>wikitext</model><text>${"b".repeat(1000)}</text></revision>`;
    const xml = `<mediawiki version="0.11"><page><title>Many</title><ns>0</ns>${Array.from({ length: 50 }, (_, i) => revision(i + 1)).join("")}</page></mediawiki>`;
    const parts = Array.from({ length: Math.ceil(xml.length / 777) }, (_, i) => xml.slice(i * 777, (i + 1) * 777));
    const read = [];
    for await (const page of readMediawikiDump(chunks(parts))) read.push(page);
    expect(read.map((p) => [p.title, p.revisions.length, p.error])).toEqual([["Many", 50, null]]);
  });
});
