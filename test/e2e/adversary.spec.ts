/**
 * Findings of an adversarial pass over the one edge (server actions, JSON
 * routes, the Node server) against the production build. Each test names the
 * behaviour that should hold; each failed when it was written.
 *
 * Server actions are called the way React's client calls them for
 * `useActionState`: the form's fields under `_1_<name>`, then the root model
 * `0=[{},"$K1"]` LAST. (Next.js decodes a multipart action body as it streams:
 * a root that arrives before the fields resolves `$K1` to an empty FormData.)
 */
import http from "node:http";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { actionBody, actionId, adminCookie } from "../support/server-actions";

const base = () => inject("baseUrl");
const databaseUrl = inject("e2eDatabaseUrl");

let browser: Browser;
let cookie = "";
let origin = "";

beforeAll(async () => {
  origin = new URL(base()).origin;
  browser = await launchBrowser();
  cookie = await adminCookie(browser, base());
});
afterAll(async () => {
  await browser?.close();
});




async function callAction(file: string, name: string, page: string, fields: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(base() + page, {
    method: "POST",
    headers: { cookie, origin, "next-action": actionId(file, name), accept: "text/x-component" },
    body: actionBody(fields),
  });
  return { status: res.status, text: await res.text() };
}

/** The form state a server action answered (line `1:` of the RSC stream), or null for a re-rendered tree. */
function formState(text: string): { error?: string; fields?: Record<string, string> } | null {
  const line = text.split("\n").find((l) => l.startsWith("1:{"));
  return line ? (JSON.parse(line.slice(2)) as { error?: string; fields?: Record<string, string> }) : null;
}

const PAGE_ACTIONS = "app/wiki/[slug]/actions.ts";

async function createPage(title: string): Promise<void> {
  const slug = title.replace(/ /g, "_");
  const res = await callAction("app/wiki/[slug]/edit/actions.ts", "saveAction", `/wiki/${slug}/edit`, {
    slug,
    content: `---\ntitle: ${title}\nkind: article\nsummary: An adversary's page.\n---\n\nBody.\n`,
    summary: "adversary",
    baseRevisionId: "",
    idempotencyKey: `adv-${slug}-${Date.now()}`,
  });
  expect(res.status).toBe(200);
  expect(formState(res.text)?.error, `creating ${title}`).toBeUndefined();
}

describe("the edge walk itself", () => {
  // The walk once sent `0` before the fields, so every action ran with NO fields and its "NUL in <field>"
  // checks passed on "Title must be text." without reaching the text rule. The shared encoder must deliver them.
  it("the edge walk's actionBody delivers the fields to the action (its NUL checks are not vacuous)", async () => {
    const res = await fetch(base() + "/wiki/Adoption/edit", {
      method: "POST",
      headers: { cookie, origin, "next-action": actionId("app/wiki/[slug]/edit/actions.ts", "previewAction"), accept: "text/x-component" },
      body: actionBody({ slug: "Adoption", content: "bad\u0000text" }),
    });
    const state = formState(await res.text());
    // With the fields delivered, the answer is the text rule's, naming the content field.
    expect(state?.error).toMatch(/Content contains a control character \(U\+0000\)/);
  });
});

describe("server actions never answer 500", () => {
  // lib/edge/form.ts iterates `formData.entries()` before its try: any argument that is not a
  // FormData (React's reply format lets the client send any value) throws a TypeError → 500.
  it.each(['[{},"x"]', "[{}]", "[{},null]", '[{},{"entries":1}]'])("rateAction with arguments %s is a 4xx or a form error, not a 500", async (payload) => {
    const res = await fetch(base() + "/wiki/Adoption", {
      method: "POST",
      headers: { cookie, origin, "next-action": actionId(PAGE_ACTIONS, "rateAction"), accept: "text/x-component", "content-type": "text/plain;charset=UTF-8" },
      body: payload,
    });
    await res.text();
    expect(res.status).toBeLessThan(500);
  });
});

describe("the Node server never answers 500 for a method", () => {
  function rawRequest(method: string, urlPath: string): Promise<{ status: number; body: string }> {
    const url = new URL(base());
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method, path: urlPath, headers: { origin } }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  // Next.js's NextRequest refuses TRACE with a TypeError ("'TRACE' HTTP method is unsupported"), which
  // becomes "500 Internal Server Error" before proxy.ts runs. Expected: 405 (or 501).
  it.each(["/", "/wiki/Adoption", "/api/pages"])("TRACE %s is a 4xx/501, not a 500", async (urlPath) => {
    const res = await rawRequest("TRACE", urlPath);
    expect(res.status).not.toBe(500);
    expect([400, 403, 405, 501]).toContain(res.status);
  });
});

describe("ids in JSON bodies are numbers (or numeric strings), nothing else", () => {
  // lib/ids.ts's idSchema is z.coerce.number(): `true` → 1, `[2]` → 2, `"0x2"` → 2, `" 2 "` → 2, so a
  // JSON body `{ "revisionId": true }` reverts to revision 1. The URL rule (parseId) is strict; the body
  // rule should be too. The page does not exist, so a fix answers 400 and the bug answers 404 (parsed, then looked up).
  it.each([true, [2], "0x2", " 2 ", "2e0", [[2]]])("POST /api/pages/<missing>/revert {revisionId: %j} is a 400 naming revisionId", async (revisionId) => {
    const res = await fetch(base() + "/api/pages/Adversary_no_such_page/revert", {
      method: "POST",
      headers: { cookie, origin, "content-type": "application/json" },
      body: JSON.stringify({ revisionId, summary: "adversary" }),
    });
    const body = (await res.json()) as { error: { code: string; field?: string } };
    expect(res.status).toBe(400);
    expect(body.error.field).toBe("revisionId");
  });
});

describe("titles cannot hold invisible, bidirectional or C1 control characters", () => {
  // lib/wikitext/title.ts refuses C0 controls and DEL but accepts U+0085 (NEL, a C1 control), zero-width
  // characters and bidi overrides, so "Adoption\u200B" or "\u202EnoitpodA" is a different page that
  // looks like (or hides) another one. MediaWiki strips/refuses these. Expected: 400 invalid:title.
  it.each(["Adoption%E2%80%8B", "%E2%80%AEnoitpodA", "A%C2%85b", "Ado%E2%80%8Dption", "Adoption%E2%81%A0"])("GET /api/pages/%s is 400 invalid:title", async (segment) => {
    const res = await fetch(base() + "/api/pages/" + segment);
    const body = (await res.json()) as { error: { code: string } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe("invalid:title");
  });
});

describe("HTML answers carry a CSP", () => {
  // /favicon.ico is outside proxy.ts's matcher; with no favicon the answer is the HTML not-found page
  // (with inline scripts) and no Content-Security-Policy.
  it("GET /favicon.ico: an HTML answer has a Content-Security-Policy", async () => {
    const res = await fetch(base() + "/favicon.ico");
    await res.arrayBuffer();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    if ((res.headers.get("content-type") ?? "").includes("text/html")) expect(res.headers.get("content-security-policy")).toBeTruthy();
  });
});

describe("twelve concurrent moderator actions of one kind", () => {
  async function pageLogCount(slug: string, action: string): Promise<number | null> {
    if (!databaseUrl) return null;
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`select count(*)::int as n from page_log l join pages p on p.id = l.page_id where p.slug = ${slug} and l.action = ${action}`;
      return (row as { n: number }).n;
    } finally {
      await sql.end({ timeout: 2 });
    }
  }

  // lib/wiki/page-admin.ts's deletePage/restorePage read `deletedAt`, then update and log in a
  // transaction that does not re-check it: 12 concurrent deletes of one page all "succeed" (10 of 12
  // did), each writing a `delete` entry to page_log and emitting page.deleted. Expected: exactly one.
  it("deleting one page 12 times at once deletes it once (one success, one log entry)", async () => {
    const title = `Adversary delete race ${Date.now()}`;
    const slug = title.replace(/ /g, "_");
    await createPage(title);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => callAction(PAGE_ACTIONS, "deleteAction", `/wiki/${slug}`, { slug, reason: "race" })),
    );
    for (const r of results) expect(r.status).toBe(200);
    const succeeded = results.filter((r) => formState(r.text)?.error === undefined).length;
    expect(succeeded).toBe(1);
    const logged = await pageLogCount(slug, "delete");
    if (logged !== null) expect(logged).toBe(1);
  });

  it("restoring one page 12 times at once restores it once", async () => {
    const title = `Adversary restore race ${Date.now()}`;
    const slug = title.replace(/ /g, "_");
    await createPage(title);
    const deleted = await callAction(PAGE_ACTIONS, "deleteAction", `/wiki/${slug}`, { slug, reason: "setup" });
    expect(formState(deleted.text)?.error).toBeUndefined();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => callAction(PAGE_ACTIONS, "restoreAction", `/wiki/${slug}`, { slug, reason: "race" })),
    );
    const succeeded = results.filter((r) => formState(r.text)?.error === undefined).length;
    expect(succeeded).toBe(1);
    const logged = await pageLogCount(slug, "restore");
    if (logged !== null) expect(logged).toBe(1);
  });

  // movePage checks "does the new title exist" and then inserts; concurrent moves lose the race on
  // pages_slug_unique, which toSafeError turns into "Something went wrong on the server" (5 of 12).
  // Expected: the losers are told the title exists (or the page moved), like the sequential case.
  it("moving one page to one new title 12 times at once: no 'Something went wrong'", async () => {
    const title = `Adversary move race ${Date.now()}`;
    const slug = title.replace(/ /g, "_");
    await createPage(title);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => callAction(PAGE_ACTIONS, "moveAction", `/wiki/${slug}`, { slug, newTitle: `${title} moved`, reason: "race" })),
    );
    const errors = results.map((r) => formState(r.text)?.error).filter((e): e is string => e !== undefined);
    expect(errors.filter((e) => /went wrong/i.test(e))).toEqual([]);
    expect(results.length - errors.length).toBe(1);
  });
});
