import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { closeTestDb, resetDatabase, testDb } from "../../support/db";

beforeEach(resetDatabase);

const REVISIONS_PER_PAGE = 4;

/** A dump of `n` pages with REVISIONS_PER_PAGE revisions each. */
function dump(n: number): string {
  const pages: string[] = [];
  let rev = 1;
  for (let p = 1; p <= n; p++) {
    const revisions: string[] = [];
    for (let r = 1; r <= REVISIONS_PER_PAGE; r++) {
      revisions.push(
        `<revision><id>${rev++}</id><timestamp>2022-01-0${r}T00:00:00Z</timestamp><contributor><username>Writer ${p % 7}</username></contributor><model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">Page ${p}, version ${r}. '''Bold''' [[Page ${p + 1}]].</text><sha1>x</sha1></revision>`,
      );
    }
    pages.push(`<page><title>Page ${p}</title><ns>0</ns><id>${p}</id>${revisions.join("")}</page>`);
  }
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">${pages.join("\n")}</mediawiki>\n`;
}

describe("a killed import", () => {
  it("leaves only complete pages: every imported page has its whole history", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "propagate-killed-"));
    const file = path.join(dir, "dump.xml");
    await writeFile(file, dump(400));
    await closeTestDb();
    // One process (tsx as a loader, not its CLI, which would leave a child running after the kill).
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/admin.ts", "import", "--format", "mediawiki", "--in", file], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    // Killed without warning as soon as it reports its first pages: mid-page, most likely.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes("pages read")) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error(`the import ended before it was killed: ${stderr}`)));
    });
    await new Promise((r) => child.on("close", r));
    const counts = await testDb().execute<{ title: string; revisions: number }>(
      "select p.title, count(r.id)::int as revisions from pages p left join revisions r on r.page_id = p.id group by p.title",
    );
    expect(counts.length).toBeGreaterThanOrEqual(25);
    expect(counts.length).toBeLessThan(400);
    expect(counts.filter((c) => c.revisions !== REVISIONS_PER_PAGE)).toEqual([]);
  });
});
