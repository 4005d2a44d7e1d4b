import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exportWikiCommand } from "@/lib/commands/data/export-wiki";
import { importWikiCommand } from "@/lib/commands/data/import-wiki";
import { MAX_CONTRIBUTOR_NAME, MAX_IMPORTED_POST, MAX_IMPORTED_SUMMARY } from "@/lib/data/mediawiki-import";
import { pages, revisions, talkPosts, users } from "@/lib/db/schema";
import { savePage } from "@/lib/wiki/page-updater";
import { resetDatabase, testDb } from "../../support/db";
import { run } from "../../support/commands";
import { buildUser, conceptSource } from "../../support/factories";
import { validateExport } from "../../support/xmllint";

/** The adversary pass on issue 19: hostile MediaWiki dumps in, hostile pages out. */
const operator = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "propagate-adversary-data-"));
});
beforeEach(resetDatabase);

const dump = (body: string, doctype = "") => `<?xml version="1.0"?>${doctype}<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">${body}</mediawiki>`;
const revision = (o: { id?: number; user?: string; comment?: string; text?: string } = {}) =>
  `<revision><id>${o.id ?? 1}</id><timestamp>2021-03-01T09:00:00Z</timestamp><contributor><username>${o.user ?? "Someone"}</username></contributor><comment>${o.comment ?? "c"}</comment><model>wikitext</model><format>text/x-wiki</format><text>${o.text ?? "Hello."}</text></revision>`;
const page = (title: string, revisions = revision(), ns = 0) => `<page><title>${title}</title><ns>${ns}</ns><id>1</id>${revisions}</page>`;

async function importXml(name: string, xml: string) {
  const file = path.join(dir, `${name}.xml`);
  await writeFile(file, xml);
  return run(testDb(), importWikiCommand, operator, { format: "mediawiki", in: file });
}

describe("hostile MediaWiki dumps", () => {
  it("entity expansion (billion laughs) and external entities are refused as undefined entities, naming where; nothing is written", async () => {
    const laughs = `<!DOCTYPE mediawiki [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`;
    await expect(importXml("laughs", dump(page("Laughs", revision({ text: "&lol3;" })), laughs))).rejects.toThrow(/malformed at line 1, column \d+, in <text>: undefined entity/);
    const xxe = `<!DOCTYPE mediawiki [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;
    await expect(importXml("xxe", dump(page("Xxe", revision({ text: "&xxe;" })), xxe))).rejects.toThrow(/undefined entity/);
    expect(await testDb().select().from(pages)).toEqual([]);
  });

  it("a control character in a title is malformed XML; a direction override, a broken byte or a colliding spelling skips the page with the reason", async () => {
    await expect(importXml("bell", dump(page("Bell&#7;title")))).rejects.toThrow(/in <title>: malformed character entity/);
    const report = await importXml("titles", dump(page("Evil\u202Egnp.exe") + page("Foo bar") + page("Foo_bar")));
    expect(report.imported).toEqual([{ title: "Foo bar", revisions: 1 }]);
    expect(report.skipped).toEqual([
      { title: "Evil\u202Egnp.exe", reason: expect.stringContaining("direction-changing characters (U+202E") },
      { title: "Foo_bar", reason: "a page with this title exists already" },
    ]);
    const broken = Buffer.concat([Buffer.from(dump("").replace("</mediawiki>", "<page><title>Bad")), Buffer.from([0xff, 0xfe]), Buffer.from("utf</title><ns>0</ns>" + revision() + "</page></mediawiki>")]);
    const file = path.join(dir, "broken.xml");
    await writeFile(file, broken);
    const brokenReport = await run(testDb(), importWikiCommand, operator, { format: "mediawiki", in: file });
    expect(brokenReport.skipped).toEqual([{ title: "Bad\uFFFD\uFFFDutf", reason: expect.stringContaining("replacement character") }]);
  });

  it("contributors' names lose line breaks, invisible and direction-changing characters and are bounded; summaries are bounded as the editor's", async () => {
    const report = await importXml(
      "names",
      dump(
        page("Name one", revision({ user: "Ad\u202Emin&#10;M 100644 inline ../x" })) +
          page("Name two", revision({ user: "x".repeat(20_000), comment: "c".repeat(2_000_000) })) +
          page("Name three", revision({ user: "\u200B\u202E" })),
      ),
    );
    expect(report.imported).toHaveLength(3);
    const names = (await testDb().select({ name: users.name }).from(users)).map((u) => u.name).sort();
    expect(names).toEqual(["Admin M 100644 inline ../x", "Unnamed contributor", `${"x".repeat(MAX_CONTRIBUTOR_NAME - 1)}…`]);
    const summaries = (await testDb().select({ summary: revisions.summary }).from(revisions)).map((r) => r.summary.length);
    expect(Math.max(...summaries)).toBe(MAX_IMPORTED_SUMMARY);
  });

  it("markup nested too deeply for the wikitext parser keeps that revision as wikitext; the import goes on", async () => {
    const report = await importXml("deep", dump(page("Deep templates", revision({ text: "{{".repeat(20_000) + "x" + "}}".repeat(20_000) })) + page("After it")));
    expect(report.imported.map((p) => p.title)).toEqual(["Deep templates", "After it"]);
    expect(report.keptAsWikitext).toEqual([{ title: "Deep templates", revision: 1, reason: "Its markup is nested too deeply to convert." }]);
  }, 120_000);

  it("a revision larger than any page here fails its page before the conversion runs (nested links take superlinear time)", async () => {
    const started = performance.now();
    const report = await importXml("huge", dump(page("Huge links", revision({ text: "[[".repeat(70_000) + "x" + "]]".repeat(70_000) }))));
    expect(report.failed).toEqual([{ title: "Huge links", error: "Revision 1 is 274 KB of text; a page here is at most 256 KB, so it was not converted." }]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("a talk page cannot bring in a post longer than a post can be here", async () => {
    const talk = page("Talk:Host", revision({ id: 2, text: "== Big ==\n" + "y".repeat(MAX_IMPORTED_POST + 1) }), 1);
    const report = await importXml("talk", dump(page("Host") + talk));
    expect(report.talkPosts).toBe(0);
    expect(report.skipped).toEqual([{ title: "Talk:Host", reason: expect.stringContaining("longer than 200,000 characters") }]);
    expect(await testDb().select().from(talkPosts)).toEqual([]);
  });
});

describe("exports of hostile pages", () => {
  it("titles git refuses (.git parts) and text XML forbids still give a valid MediaWiki export and a git repository that checks out", async () => {
    const db = testDb();
    const author = await buildUser(db, { name: "Hostile Hana" });
    // In code blocks: MDX would refuse the angle brackets as markup.
    const texts = ["```\n]]> <![CDATA[ &amp; </text></revision>\n```\n", "```\n\uFFFE\uFFFF\u0085 \u{10FFFF}\n```\n"];
    for (const [i, title] of ["Notes/.git/config", "Notes/.GIT./hooks", "Notes/~.git/config", "A & B \"d\" 'e'"].entries()) {
      const saved = await savePage(db, { title, content: conceptSource(title, texts[i % 2]!), authorId: author.id, baseRevisionId: null, summary: "</comment><evil/>" });
      expect(saved.status).toBe("saved");
    }
    const xml = path.join(dir, "hostile.xml");
    await run(db, exportWikiCommand, operator, { format: "mediawiki", out: xml });
    const validation = validateExport(xml);
    expect(validation.output).toContain("validates");
    expect(await readFile(xml, "utf8")).not.toContain("<evil/>");
    const repo = path.join(dir, "hostile-git");
    const outcome = await run(db, exportWikiCommand, operator, { format: "git", out: repo });
    expect(outcome.revisions).toBe(4);
    const files = spawnSync("git", ["ls-files", "-z"], { cwd: repo, encoding: "utf8" }).stdout.split("\0").filter(Boolean).sort();
    expect(files).toEqual(["A/A_&_B_\"d\"_'e'.mdx", "N/Notes/~.GIT./hooks.mdx", "N/Notes/~.git/config.mdx", "N/Notes/~~.git/config.mdx"].sort());
    expect(spawnSync("git", ["status", "--porcelain"], { cwd: repo, encoding: "utf8" }).stdout).toBe("");
    const [stored] = await db.select().from(pages).where(eq(pages.title, "Notes/.git/config"));
    expect(await readFile(path.join(repo, "N/Notes/~.git/config.mdx"), "utf8")).toContain(texts[0]!);
    expect(stored).toBeDefined();
  });
});
