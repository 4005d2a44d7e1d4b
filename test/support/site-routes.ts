import type { Browser, BrowserContext, Page } from "playwright-core";
import { hydrated, signInOrUp } from "./e2e-accounts";
import { EDGE_ADMIN } from "./server-actions";

/** The four kinds of reader the walks take through the site. */
export type Role = "anonymous" | "editor" | "moderator" | "admin";
export const ROLES: Role[] = ["anonymous", "editor", "moderator", "admin"];

export const WALK_EDITOR = { name: "Walk Editor", email: "walk-editor@e2e.example", password: "plum harbor lantern 71" };
export const WALK_MODERATOR = { name: "Walk Moderator", email: "walk-moderator@e2e.example", password: "quiet meadow compass 83" };

/** A route of the site, and the status its document answers with. */
export type SiteRoute = { path: string; status?: number };

type RevisionList = { revisions: { id: number }[] };

/**
 * Every page route of the site with real parameters: a diff and an old
 * revision of a page the walk's editor saved twice, a talk thread, a user,
 * and the file page of the picture the walk's editor uploaded
 * (test/support/walk-page.ts), with its history and talk.
 */
export async function siteRoutes(base: string, slug: string): Promise<SiteRoute[]> {
  const revisions = ((await (await fetch(`${base}/api/pages/${slug}/revisions`)).json()) as RevisionList).revisions;
  const [newest, older] = [revisions[0]!.id, revisions.at(-1)!.id];
  const threads = (await (await fetch(`${base}/api/pages/Nursery_and_garden/talk`)).json()) as { threads: { id: number }[] };
  const thread = threads.threads[0]!.id;
  return [
    { path: "/" },
    { path: "/compare" },
    { path: "/pages" },
    { path: "/tags" },
    { path: "/tags/metaphor" },
    { path: "/recent-changes" },
    { path: "/search?q=garden" },
    { path: "/search?q=zzyzx+quux" },
    { path: "/help/editing" },
    { path: "/create" },
    { path: "/wiki/Adoption" },
    { path: "/wiki/Nursery_and_garden" },
    { path: `/wiki/${slug}?rev=${older}` },
    { path: `/wiki/${slug}/history` },
    { path: `/wiki/${slug}/diff?from=${older}&to=${newest}` },
    { path: `/wiki/${slug}/diff?from=${older}&to=${newest}&view=inline` },
    { path: `/wiki/${slug}/blame` },
    { path: "/wiki/Adoption/talk" },
    { path: "/wiki/Nursery_and_garden/talk" },
    { path: `/wiki/Nursery_and_garden/talk/${thread}` },
    { path: "/wiki/File:Walk_picture.png" },
    { path: "/wiki/File:Walk_picture.png/history" },
    { path: "/wiki/File:Walk_picture.png/talk" },
    { path: "/wiki/Adoption/edit" },
    { path: "/wiki/Not_written_yet/edit" },
    { path: "/wiki/Not_written_yet", status: 404 },
    { path: `/users/${encodeURIComponent(WALK_EDITOR.name)}` },
    { path: "/signin" },
    { path: "/signup" },
    { path: "/profile" },
    { path: "/watchlist" },
    { path: "/notifications" },
    { path: "/moderation" },
    { path: "/admin/users" },
    { path: "/admin/data" },
    { path: "/forgot-password" },
    { path: "/reset-password?token=not-a-token" },
    { path: "/verify-email?token=not-a-token" },
    { path: "/unsubscribe?user=nobody&token=not-a-token" },
  ];
}

/**
 * A browser context signed in as `role` (anonymous: none). The walk's
 * moderator is made one by the edge administrator through the admin page.
 */
export async function contextFor(browser: Browser, base: string, role: Role, options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, hasTouch: options.isMobile ?? false });
  if (role === "anonymous") return context;
  const page = await context.newPage();
  const who = role === "admin" ? EDGE_ADMIN : role === "moderator" ? WALK_MODERATOR : WALK_EDITOR;
  await signInOrUp(page, base, who);
  await page.close();
  return context;
}

/** Make the walk's moderator a moderator (once), through the admin page. */
export async function promoteWalkModerator(browser: Browser, base: string): Promise<void> {
  const member = await contextFor(browser, base, "moderator");
  await member.close();
  const admin = await contextFor(browser, base, "admin");
  const page = await admin.newPage();
  await page.goto(`${base}/admin/users`);
  await hydrated(page);
  const row = page.locator(`tr[data-user="${WALK_MODERATOR.name}"]`);
  if ((await row.locator("select").inputValue()) !== "moderator") {
    await row.locator("select").selectOption("moderator");
    await row.getByRole("button", { name: "Set role" }).click();
    await row.getByRole("status").waitFor();
  }
  await admin.close();
}

/** Everything a page logged that a reader should never cause: console errors, page errors, hydration warnings, failed requests. */
export function watchProblems(page: Page): { problems: string[]; at: (path: string, documentStatus?: number) => void } {
  const problems: string[] = [];
  let where = "";
  let expected = 200;
  const report = (problem: string) => problems.push(`${where}: ${problem}`);
  page.on("console", (message) => {
    const text = message.text();
    // The browser logs a document's own error status (a missing page's 404), which the walk expects.
    if (expected >= 400 && text.includes(`status of ${expected}`) && message.location().url === page.url()) return;
    if (message.type() === "error") report(`console error: ${text}`);
    else if (/hydrat/i.test(text)) report(`hydration: ${text}`);
  });
  page.on("pageerror", (error) => report(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "";
    // A request the browser dropped because the walk moved on (a prefetch, a fetch of the page left) is not a failure.
    if (failure.includes("ERR_ABORTED")) return;
    report(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on("response", (response) => {
    if (response.status() < 400) return;
    // The document's own status is checked by the walk (a missing page is a 404 on purpose).
    if (response.request().isNavigationRequest() && response.request().frame() === page.mainFrame()) return;
    report(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    problems,
    at: (path, documentStatus = 200) => {
      where = path;
      expected = documentStatus;
    },
  };
}
