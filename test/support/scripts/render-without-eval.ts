/**
 * Run by test/integration/mdx/no-eval.test.ts in a Node process started with
 * --disallow-code-generation-from-strings: save a page, render it (worker,
 * first view) and read it again (cache), printing what a reader would get.
 */
import { connect } from "@/lib/db/client";
import { contentImportUser } from "@/lib/users/system-user";
import { savePage } from "@/lib/wiki/page-updater";
import { getPageView } from "@/lib/wiki/page-view";

const url = process.argv[2]!;
const { db, sql } = connect(url, 1);
let evalBlocked = false;
try {
  new Function("return 1");
} catch {
  evalBlocked = true;
}
const user = await contentImportUser(db);
const title = `No eval ${Date.now()}`;
const content = `---\ntitle: ${title}\nkind: concept\nsummary: s\n---\n\n## Heading\n\n<Callout type="note">Hello **there**</Callout>\n\n[[Adoption]]\n`;
await savePage(db, { title, content, authorId: user.id, baseRevisionId: null });
const slug = title.replace(/ /g, "_");
const first = await getPageView(db, slug);
const second = await getPageView(db, slug);
await sql.end();
console.log(JSON.stringify({ evalBlocked, first: first?.rendered, second: second?.rendered }));
process.exit(0);
