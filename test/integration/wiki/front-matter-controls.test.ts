import { beforeEach, describe, expect, it } from "vitest";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { AppError } from "@/lib/errors";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildUser } from "../../support/factories";

// Adversary pass (issue 20, second round). A page's source is refused when it holds a control character, but YAML's
// escapes ("\r\n", "\0", "\ud800") put them into the front matter's fields after that check. A side's "\r\n" is one
// character in a browser's DOM (the HTML parser turns CRLF into LF) and two in the server's rendered text, so every
// passage after it was marked that many characters off; "\0" and a lone surrogate cannot be stored in jsonb at all.

beforeEach(resetDatabase);

const difference = (tkm: string) =>
  `---\ntitle: "Escaped sides"\nkind: difference\nsummary: Sides with escapes.\ndimension: Tools\ntkm: "${tkm}"\nsl: "People learn from each other."\ntags: []\n---\n\nThe body.\n`;

describe("control characters written as YAML escapes in front matter", () => {
  for (const [name, escape] of [
    ["a carriage return and line feed", "\\r\\n"],
    ["a carriage return", "\\r"],
    ["NUL", "\\0"],
    ["a vertical tab", "\\v"],
    ["a lone surrogate", "\\ud800"],
  ] as const) {
    it(`refuses ${name} in a side as bad input, saving nothing`, async () => {
      const db = testDb();
      const author = await buildUser(db);
      const error = await run(db, savePageCommand, actorOf(author), { title: "Escaped sides", content: difference(`A mandated system${escape}for everyone.`) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toMatch(/^invalid/);
      expect(await getPageBySlug(db, "Escaped_sides")).toBeNull();
    });
  }

  it("still accepts a tab and a line feed (a folded or literal block)", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const saved = await run(db, savePageCommand, actorOf(author), { title: "Escaped sides", content: difference("A mandated\\tsystem\\nfor everyone.") });
    expect(saved.status).toBe("saved");
  });
});
