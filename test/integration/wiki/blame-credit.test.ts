import { beforeEach, describe, expect, it } from "vitest";
import { revertPageCommand } from "@/lib/commands/wiki/revert-page";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { pageBlame } from "@/lib/wiki/page-blame";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { actorOf, run } from "../../support/commands";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

// Blame through the real commands and database (issue 16): a revert and a move keep the authors' credit.

beforeEach(resetDatabase);

const body = (...paragraphs: string[]) => paragraphs.join("\n\n") + "\n";
const ada = "Ada wrote this paragraph about cuttings taking root.";
const ben = "Ben added this paragraph about gardens and nurseries.";

async function blamed(title: string) {
  const db = testDb();
  const page = (await getPageBySlug(db, title))!;
  const result = await pageBlame(db, page);
  const author = (text: string) => result.revisions.get(result.lines.find((l) => l.text === text)!.revisionId)!.authorName;
  return { author, lines: result.lines };
}

describe("blame credits authors, not whoever reverted or moved their text", () => {
  it("a revert of vandalism gives each restored paragraph back to its author", async () => {
    const db = testDb();
    const [first, second, vandal, mender] = await Promise.all(["Ada", "Ben", "Vandal", "Mender"].map((name) => buildUser(db, { name: `${name} ${Date.now()}` })));
    const created = await buildPage(db, "Credit", conceptSource("Credit", body(ada)), first);
    const added = await run(db, savePageCommand, actorOf(second!), { title: "Credit", content: conceptSource("Credit", body(ada, ben)), baseRevisionId: created.revision.id, summary: "more" });
    await run(db, savePageCommand, actorOf(vandal!), { title: "Credit", content: conceptSource("Credit", body("SPAM")), baseRevisionId: added.revision.id, summary: "spam" });
    await run(db, revertPageCommand, actorOf(mender!), { title: "Credit", revisionId: added.revision.id });

    const { author } = await blamed("Credit");
    expect(author(ada)).toBe(first!.name);
    expect(author(ben)).toBe(second!.name);
  });

  it("a moved paragraph keeps its author; the mover is credited only with the words they wrote", async () => {
    const db = testDb();
    const [first, second, mover] = await Promise.all(["Ada", "Ben", "Mover"].map((name) => buildUser(db, { name: `${name} ${Date.now()}` })));
    const created = await buildPage(db, "Moved", conceptSource("Moved", body(ada)), first);
    const added = await run(db, savePageCommand, actorOf(second!), { title: "Moved", content: conceptSource("Moved", body(ada, ben)), baseRevisionId: created.revision.id, summary: "more" });
    const note = "The mover wrote this new closing line.";
    await run(db, savePageCommand, actorOf(mover!), { title: "Moved", content: conceptSource("Moved", body(ben, ada, note)), baseRevisionId: added.revision.id, summary: "reorder" });

    const { author, lines } = await blamed("Moved");
    expect(lines.map((l) => l.text).filter((t) => t.includes("paragraph"))).toEqual([ben, ada]);
    expect(author(ada)).toBe(first!.name);
    expect(author(ben)).toBe(second!.name);
    expect(author(note)).toBe(mover!.name);
  });
});
