import { spawnSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { exportWikiCommand } from "@/lib/commands/data/export-wiki";
import { pages, revisions, talkPosts } from "@/lib/db/schema";
import { sha1Base36 } from "@/lib/data/mediawiki-xml";
import { savePage } from "@/lib/wiki/page-updater";
import { buildWiki } from "../../support/data";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser, conceptSource } from "../../support/factories";
import { run } from "../../support/commands";
import { validateExport } from "../../support/xmllint";

const operator = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "propagate-export-"));
  await resetDatabase();
  const db = testDb();
  await buildWiki(db);
  // A page with history: a minor edit with a summary, and characters XML must escape.
  const author = await buildUser(db, { name: "Ada <Editor> & Co" });
  const first = await savePage(db, { title: "Escapes", content: conceptSource("Escapes", "A & B < C > D \"quoted\"\n"), authorId: author.id, baseRevisionId: null, summary: "first & <best>" });
  if (first.status !== "saved") throw new Error("not saved");
  await savePage(db, { title: "Escapes", content: conceptSource("Escapes", "A & B < C > D, fixed\n"), authorId: author.id, baseRevisionId: first.revision.id, summary: "typo", minor: true });
});

describe("export to MediaWiki XML 0.11", () => {
  it("validates against MediaWiki's export-0.11.xsd and carries full history, contributors, summaries, minor flags and base-36 sha1s", async () => {
    const file = path.join(dir, "wiki.xml");
    const outcome = await run(testDb(), exportWikiCommand, operator, { format: "mediawiki", out: file });
    const allRevisions = await testDb().select().from(revisions);
    const visiblePosts = await testDb().select().from(talkPosts).where(eq(talkPosts.status, "visible"));
    expect(outcome.revisions).toBe(allRevisions.length + visiblePosts.length);
    const validation = validateExport(file);
    expect(validation.output).toContain("validates");
    expect(validation.ok).toBe(true);

    const xml = await readFile(file, "utf8");
    expect(xml).toContain("<title>Escapes</title>");
    expect(xml).toContain("<username>Ada &lt;Editor&gt; &amp; Co</username>");
    expect(xml).toContain("<comment>first &amp; &lt;best&gt;</comment>");
    expect(xml).toMatch(/<minor\/>\s*<comment>typo<\/comment>/);
    const escapes = allRevisions.filter((r) => r.title === "Escapes");
    for (const r of escapes) {
      expect(xml).toContain(`<sha1>${sha1Base36(r.content)}</sha1>`);
      expect(xml).toContain(`<timestamp>${r.createdAt.toISOString().slice(0, 19)}Z</timestamp>`);
    }
    expect(xml).toContain(`<parentid>${escapes[0]!.id}</parentid>`);
    // Talk pages in the Talk namespace.
    const [talked] = await testDb().select({ title: pages.title }).from(pages).where(eq(pages.id, (await testDb().query.talkThreads.findFirst())!.pageId));
    expect(xml).toContain(`<title>Talk:${talked!.title}</title>\n    <ns>1</ns>`);
  });

  it("computes sha1 in base 36 as MediaWiki does (values from MediaWiki's import fixtures)", () => {
    expect(sha1Base36("Hello")).toBe("syvtbocopvw4f81bf07ocly0sl8ybqo");
    expect(sha1Base36("test\n[[Category:Test]]")).toBe("0xfsdg7qfs9179iudbmlqrbzi6uws92");
    expect(sha1Base36("")).toBe("phoiac9h4m842xq45sp7s6u21eteeq1");
  });
});

describe("export to a git repository", () => {
  it("makes one commit per revision with the author's name, the revision's time and its summary, and one MDX file per page", async () => {
    const repo = path.join(dir, "repo");
    const outcome = await run(testDb(), exportWikiCommand, operator, { format: "git", out: repo });
    const all = await testDb().select().from(revisions).orderBy(revisions.id);
    expect(outcome.revisions).toBe(all.length);
    const log = spawnSync("git", ["log", "--reverse", "--format=%an|%at|%s"], { cwd: repo, encoding: "utf8" }).stdout.trim().split("\n");
    expect(log).toHaveLength(all.length);
    const last = all.at(-1)!;
    expect(log.at(-1)).toBe(`Ada Editor & Co|${Math.floor(last.createdAt.getTime() / 1000)}|typo`);
    expect(await readFile(path.join(repo, "E", "Escapes.mdx"), "utf8")).toBe(last.content);
    const files = spawnSync("git", ["ls-files"], { cwd: repo, encoding: "utf8" }).stdout.trim().split("\n");
    expect(files).toHaveLength((await testDb().select().from(pages)).length);
    await expect(run(testDb(), exportWikiCommand, operator, { format: "git", out: repo })).rejects.toThrow(/not empty/);
  });
});
