/**
 * `npm run bench -- lighthouse`: Lighthouse 12 (its default mobile profile,
 * simulated throttling) with Debian's Chromium on the home page, a difference
 * page, a history, a diff, a talk page and the editor (signed in), against
 * the production server on a fresh database. Writes bench/results/lighthouse.json.
 * LIGHTHOUSE_BASE=<url> measures a wiki that is already running instead (the
 * editor is then measured signed out, as "View source").
 * Scores depend on the machine's load: performance is timed, the other three are not.
 */
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { connect } from "@/lib/db/client";
import { createUserAsOperator } from "@/lib/users/accounts";
import { savePage } from "@/lib/wiki/page-updater";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { chromiumPath } from "../test/support/browser";
import { createTestDatabase } from "../test/support/test-database";
import { signIn, startApp } from "./http";
import { report } from "./lib";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

async function audit(port: number, url: string, cookie?: string) {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: [...CATEGORIES],
    ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const lhr = result.lhr;
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
  // What cost points, to act on: every audit below full marks, by category.
  const failing = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual" && a.scoreDisplayMode !== "notApplicable")
    .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ""}`);
  return { scores, failing, metrics: { fcpMs: lhr.audits["first-contentful-paint"]?.numericValue, lcpMs: lhr.audits["largest-contentful-paint"]?.numericValue, tbtMs: lhr.audits["total-blocking-time"]?.numericValue, cls: lhr.audits["cumulative-layout-shift"]?.numericValue } };
}

export async function benchLighthouse(): Promise<void> {
  const chromePath = process.env.CHROME_PATH ?? chromiumPath();
  if (!chromePath) throw new Error("No Chromium: install Debian's chromium or set CHROME_PATH.");
  let base = process.env.LIGHTHOUSE_BASE;
  let cookie: string | undefined;
  let diff = "/wiki/Adoption/diff?from=1&to=1";
  let cleanup = async () => {};
  if (!base) {
    const database = await createTestDatabase("propagate_bench_lighthouse", { migrate: false });
    const app = await startApp({ DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789" });
    base = app.base;
    const { db, sql } = connect(database.url, 2);
    // An editor, and a second revision of a difference page for the diff.
    const editor = await createUserAsOperator(db, { name: "Lighthouse Editor", email: "lighthouse@bench.example", role: "editor", password: "copper lantern orchard 64" });
    const page = (await getPageBySlug(db, "Adoption"))!;
    const first = page.latestRevisionId!;
    const source = (await (await fetch(`${base}/api/pages/Adoption`)).json()) as { revision: { content: string } };
    const second = await savePage(db, { title: "Adoption", content: `${source.revision.content}\nA sentence added for the diff.\n`, authorId: editor.id, baseRevisionId: first, summary: "For the diff" });
    diff = `/wiki/Adoption/diff?from=${first}&to=${second.revision.id}`;
    cookie = await signIn(base, "lighthouse@bench.example", "copper lantern orchard 64");
    cleanup = async () => {
      await sql.end({ timeout: 5 });
      await app.stop();
      await database.drop();
    };
  }
  const pages = [
    { name: "home", path: "/" },
    { name: "difference page", path: "/wiki/Adoption" },
    { name: "history", path: "/wiki/Adoption/history" },
    { name: "diff", path: diff },
    { name: "talk", path: "/wiki/Nursery_and_garden/talk" },
    { name: "editor", path: "/wiki/Adoption/edit", signedIn: true },
  ];
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const rows: Record<string, unknown>[] = [];
  try {
    for (const page of pages) {
      // Once to warm the server's caches (first renders, the page cache), then the measured run.
      await audit(chrome.port, base + page.path, page.signedIn ? cookie : undefined);
      const { scores, failing, metrics } = await audit(chrome.port, base + page.path, page.signedIn ? cookie : undefined);
      rows.push({ page: page.name, path: page.path, ...scores, signedIn: Boolean(page.signedIn && cookie), failing: failing.join(", "), ...metrics });
    }
  } finally {
    await chrome.kill();
    await cleanup();
  }
  report("lighthouse", rows, { lighthouse: "12.2.3", profile: "default (mobile, simulated throttling)", chromium: chromePath, note: "the machine is shared with other work; performance is timed" });
}
