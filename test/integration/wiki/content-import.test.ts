import { cpSync, mkdtempSync, readdirSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { pages, revisions } from "@/lib/db/schema";
import { importContent } from "@/lib/wiki/content-import";
import { movePage } from "@/lib/wiki/page-admin";
import { listDifferences } from "@/lib/wiki/page-store";
import { savePage } from "@/lib/wiki/page-updater";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";

beforeEach(resetDatabase);

function copyContent(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-content-"));
  cpSync("content", dir, { recursive: true });
  return dir;
}

describe("content import", () => {
  it("imports every seed page as a valid revision by the content import user", async () => {
    const db = testDb();
    const outcomes = await importContent(db, "content");
    const files = readdirSync("content").filter((f) => f.endsWith(".mdx"));
    expect(outcomes.filter((o) => o.result === "created")).toHaveLength(files.length);
    expect(outcomes.filter((o) => o.result === "invalid")).toEqual([]);
    const slugs = (await listDifferences(db, { page: { limit: 500 } })).rows.map((r) => r.slug);
    expect(slugs).toEqual(expect.arrayContaining(["Adoption", "One_tool_or_many", "Media_and_ways_to_contribute", "Mandate_or_pull"]));
  });

  it("is idempotent: a second import changes nothing", async () => {
    const db = testDb();
    await importContent(db, "content");
    const before = await db.select().from(revisions);
    const again = await importContent(db, "content");
    expect(again.every((o) => o.result === "unchanged")).toBe(true);
    expect(await db.select().from(revisions)).toHaveLength(before.length);
  });

  it("adds exactly one revision for a changed file", async () => {
    const db = testDb();
    const dir = copyContent();
    await importContent(db, dir);
    const file = path.join(dir, "Adoption.mdx");
    writeFileSync(file, readFileSync(file, "utf8") + "\nOne more sentence.\n");
    const outcomes = await importContent(db, dir);
    expect(outcomes.filter((o) => o.result === "updated").map((o) => o.file)).toEqual(["Adoption.mdx"]);
    const count = (await db.select().from(revisions)).length;
    await importContent(db, dir);
    expect((await db.select().from(revisions)).length).toBe(count);
  });

  it("never overwrites a page that people edited since the last import", async () => {
    const db = testDb();
    const dir = copyContent();
    await importContent(db, dir);
    const [page] = (await db.select().from(pages)).filter((p) => p.slug === "Adoption");
    const user = await buildUser(db);
    const current = readFileSync(path.join(dir, "Adoption.mdx"), "utf8");
    await savePage(db, { title: "Adoption", content: current + "\nA reader's addition.\n", authorId: user.id, baseRevisionId: page!.latestRevisionId });
    writeFileSync(path.join(dir, "Adoption.mdx"), current + "\nA file change.\n");
    const outcomes = await importContent(db, dir);
    expect(outcomes.find((o) => o.file === "Adoption.mdx")?.result).toBe("skipped-edited");
  });

  it("leaves alone a page created in the wiki before its file was imported, and one renamed there", async () => {
    const db = testDb();
    const dir = copyContent();
    const user = await buildUser(db);
    const mine = readFileSync(path.join(dir, "Adoption.mdx"), "utf8").replace(/\n## [\s\S]*$/, "\n\nWritten in the wiki first.\n");
    await savePage(db, { title: "Adoption", content: mine, authorId: user.id, baseRevisionId: null });
    const first = await importContent(db, dir);
    expect(first.find((o) => o.file === "Adoption.mdx")).toMatchObject({ result: "skipped-edited", message: expect.stringMatching(/created in the wiki/) });
    const [adoption] = (await db.select().from(pages)).filter((p) => p.slug === "Adoption");
    expect((await db.select().from(revisions)).filter((r) => r.pageId === adoption!.id)).toHaveLength(1);

    const mod = await buildUser(db, { role: "moderator" });
    await movePage(db, mod.id, "Mandate_or_pull", "Mandate or pull (renamed)");
    writeFileSync(path.join(dir, "Mandate_or_pull.mdx"), readFileSync(path.join(dir, "Mandate_or_pull.mdx"), "utf8") + "\nChanged file.\n");
    const second = await importContent(db, dir);
    expect(second.find((o) => o.file === "Mandate_or_pull.mdx")).toMatchObject({ result: "skipped-edited", message: "renamed in the wiki" });
  });
});
