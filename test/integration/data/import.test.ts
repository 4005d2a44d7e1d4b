import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importWikiCommand } from "@/lib/commands/data/import-wiki";
import { pages, pageTags, revisions, talkPosts, talkThreads, users } from "@/lib/db/schema";
import { resetDatabase, testDb } from "../../support/db";
import { run } from "../../support/commands";

const operator = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
const fixtures = path.join(process.cwd(), "test/fixtures/mediawiki/import");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "propagate-import-"));
});
beforeEach(resetDatabase);

/** A fixture dump, copied to this test's directory. */
async function fixture(name: string): Promise<string> {
  const xml = await readFile(path.join(fixtures, name), "utf8");
  const file = path.join(dir, name);
  await writeFile(file, xml);
  return file;
}

const importFile = (file: string) => run(testDb(), importWikiCommand, operator, { format: "mediawiki", in: file });

async function historyOf(title: string) {
  const [page] = await testDb().select().from(pages).where(eq(pages.title, title));
  if (!page) return null;
  const revs = await testDb()
    .select({ id: revisions.id, content: revisions.content, summary: revisions.summary, isMinor: revisions.isMinor, createdAt: revisions.createdAt, author: users.name, importedFrom: users.importedFrom })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.pageId, page.id))
    .orderBy(asc(revisions.id));
  const tags = (await testDb().select().from(pageTags).where(eq(pageTags.pageId, page.id))).map((t) => t.tag).sort();
  return { page, revs, tags };
}

describe("import from MediaWiki XML", () => {
  it("imports a 0.10 dump: full history, contributors as imported users (an IP kept as an IP), refs, categories, talk, and a report of what was not converted", async () => {
    const report = await importFile(path.join(fixtures, "propagate-sample-0.10.xml"));
    expect(report.version).toBe("0.10");
    expect(report.failed).toEqual([]);
    expect(report.keptAsWikitext).toEqual([]);
    expect(report.imported).toEqual([{ title: "Garden notes", revisions: 2 }]);
    expect(report.skipped).toEqual([
      { title: "Template:Infobox plant", reason: expect.stringContaining("namespace 10") },
      { title: "Willow notes", reason: expect.stringContaining("redirect") },
    ]);
    expect(report.unconverted).toEqual([
      { construct: "template Infobox plant", count: 1, pages: ["Garden notes"] },
      { construct: "parser function #if", count: 1, pages: ["Garden notes"] },
    ]);

    const history = (await historyOf("Garden notes"))!;
    expect(history.revs.map((r) => [r.author, r.importedFrom, r.summary, r.isMinor, r.createdAt.toISOString()])).toEqual([
      ["Gardener", "mediawiki", "First notes", false, "2021-03-01T09:00:00.000Z"],
      ["198.51.100.7", "mediawiki-ip", "Sources & layout", true, "2021-03-02T10:30:00.000Z"],
    ]);
    expect(history.tags).toEqual(["garden-notes", "plants"]);
    const latest = history.revs[1]!.content;
    expect(latest).toContain("url: https://example.org/propagation");
    expect(latest).toContain("title: Jones, Propagation, Example press");
    expect(latest).toContain("```wikitext\n{{Infobox plant|name=Willow}}\n```");
    expect(latest).toContain("Cuttings root in **water** or *soil*.\\[1\\]");
    expect(latest).toContain("## Methods");
    expect(latest).toContain("| Water | 14 |");
    expect(latest).toContain("[[Nursery and garden|the nursery]]");

    const posts = await testDb()
      .select({ thread: talkThreads.title, body: talkPosts.bodySource, author: users.name })
      .from(talkPosts)
      .innerJoin(talkThreads, eq(talkThreads.id, talkPosts.threadId))
      .leftJoin(users, eq(users.id, talkPosts.authorId))
      .orderBy(asc(talkPosts.id));
    expect(posts).toEqual([
      { thread: "Sand mix?", body: "Which sand works best?", author: "Gardener" },
      { thread: "Sand mix?", body: "Coarse river sand.", author: "198.51.100.7" },
    ]);
    // The contributors are records, not accounts: no email, no password.
    const imported = await testDb().select().from(users).where(eq(users.name, "Gardener"));
    expect(imported).toMatchObject([{ email: null, passwordHash: null, importedFrom: "mediawiki" }]);

    // Run again: nothing is imported twice.
    const again = await importFile(path.join(fixtures, "propagate-sample-0.10.xml"));
    expect(again.imported).toEqual([]);
    expect(again.skipped).toContainEqual({ title: "Garden notes", reason: "a page with this title exists already" });
  });

  it("imports an IP contributor with a category (0.11), and a dump in the old 0.6 format", async () => {
    const anon = await importFile(await fixture("ip-contributor-0.11.xml"));
    expect(anon.imported).toEqual([{ title: "Cuttings", revisions: 1 }]);
    const cuttings = (await historyOf("Cuttings"))!;
    expect(cuttings.revs).toMatchObject([{ author: "192.0.2.14", importedFrom: "mediawiki-ip", createdAt: new Date("2024-07-24T17:52:45Z") }]);
    expect(cuttings.tags).toEqual(["propagation"]);

    const old = await importFile(await fixture("old-format-0.6.xml"));
    expect(old.imported).toEqual([{ title: "Seed library", revisions: 1 }]);
    expect(old.skipped).toEqual([{ title: "Category:Seed library", reason: expect.stringContaining("namespace 14") }]);
    expect((await historyOf("Seed library"))!.tags).toEqual(["seed-library"]);
  });

  it("names the element when the XML is malformed, is not a MediaWiki export, lacks a text or has an unknown content model", async () => {
    await expect(importFile(await fixture("malformed.xml"))).rejects.toThrow("The XML is malformed at line 3, column 12, in <mediawiki> (after <siteinfo>): unexpected close tag.");
    await expect(importFile(await fixture("not-mediawiki.xml"))).rejects.toThrow("The root element is <html>, not <mediawiki>: this is not a MediaWiki export.");
    const missing = await importFile(await fixture("missing-main-text.xml"));
    expect(missing.failed).toEqual([{ title: "Missing text", error: 'Revision 4 of page "Missing text" has no <text> element for its main slot.' }]);
    const unknown = await importFile(await fixture("unknown-content-model.xml"));
    expect(unknown.failed).toEqual([{ title: "Odd model", error: expect.stringContaining('has the unknown content model "not-a-defined-model" in the <model> of its "diagram" slot') }]);
    expect(await testDb().select().from(pages)).toEqual([]);
    const cut = path.join(dir, "cut.xml");
    await writeFile(cut, (await readFile(path.join(fixtures, "propagate-sample-0.10.xml"), "utf8")).slice(0, 1500));
    await expect(importFile(cut)).rejects.toThrow(/malformed|cut short/);
  });
});
