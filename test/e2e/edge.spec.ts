/**
 * The one edge, walked route by route and action by action against the
 * production build: every state-changing request is refused with its 4xx
 * when it comes from another site (with or without prefetch headers, with a
 * spoofed X-Forwarded-Host), without an Origin, with a NUL in any text field,
 * with an oversized body, or with a forged token and a bad body; and the
 * database shows that nothing was written.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { actionBody, actionIds, adminCookie, EDGE_ADMIN } from "../support/server-actions";

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

/** Everything a refused request might have written, as one comparable value. */
async function fingerprint(): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`
      select
        (select count(*) from revisions) as revisions,
        (select md5(coalesce(string_agg(slug || ':' || protection || ':' || coalesce(deleted_at::text, '') || ':' || coalesce(latest_revision_id::text, ''), ',' order by id), '')) from pages) as pages,
        (select count(*) from talk_threads) as threads,
        (select md5(coalesce(string_agg(status || ':' || body_source, ',' order by id), '')) from talk_posts) as posts,
        (select md5(coalesce(string_agg(name || ':' || role || ':' || coalesce(blocked_at::text, '') || ':' || coalesce(password_hash, ''), ',' order by id), '')) from users) as users,
        (select count(*) from api_tokens) as tokens,
        (select md5(coalesce(string_agg(coalesce(revoked_at::text, ''), ','), '')) from api_tokens) as revoked,
        (select count(*) from ratings) as ratings,
        (select count(*) from watches) as watches,
        (select count(*) from page_log) as page_log,
        (select count(*) from mentions) as mentions,
        (select count(*) from moderation_log) as moderation_log,
        (select count(*) from talk_subscriptions) as subscriptions,
        (select count(*) from data_jobs) as data_jobs,
        (select count(*) from media_blobs) as media_blobs,
        (select count(*) from file_uploads) as file_uploads`;
    return JSON.stringify(row);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

type Variant = { name: string; headers: Record<string, string>; body?: BodyInit; expect: number };

const NUL = "bad\u0000text";
const HUGE = "x".repeat(1_600_000);

// ---------------------------------------------------------------- JSON routes

type RouteCase = { path: string; body: Record<string, unknown>; textFields: string[]; kind?: "json" | "form" | "multipart"; crossSite?: boolean };

const routes: RouteCase[] = [
  {
    path: "/api/pages/Adoption/revisions",
    body: { content: "---\ntitle: Adoption\n---\nEdited.\n", summary: "edge", minor: false, baseRevisionId: 1, idempotencyKey: "edge-key-0001" },
    textFields: ["content", "summary", "idempotencyKey"],
  },
  { path: "/api/pages/Adoption/revert", body: { revisionId: 1, summary: "edge" }, textFields: ["summary"] },
  { path: "/api/pages/Adoption/talk", body: { title: "Edge thread", body: "A post.", guestName: "Guest", guestUrl: "https://example.org" }, textFields: ["title", "body", "guestName", "guestUrl"] },
  { path: "/api/pages/Nursery_and_garden/talk/1/posts", body: { body: "A reply.", guestName: "Guest", guestUrl: "https://example.org" }, textFields: ["body", "guestName", "guestUrl"] },
  { path: "/api/admin/exports", body: { format: "mediawiki" }, textFields: [] },
  { path: "/api/webmention", body: { source: "https://elsewhere.example/post", target: "http://127.0.0.1/wiki/Adoption" }, textFields: ["source", "target"], kind: "form", crossSite: true },
  { path: "/api/unsubscribe", body: { "List-Unsubscribe": "One-Click" }, textFields: ["List-Unsubscribe"], kind: "form", crossSite: true },
  // The e2e wiki's upload limit is 1 MB (test/support/global-e2e.ts), so the 1.6 MB body is over it.
  { path: "/api/files", body: { name: "Edge.vtt", summary: "edge", file: "WEBVTT\n\n00:00.000 --> 00:01.000\nEdge.\n" }, textFields: ["name", "summary"], kind: "multipart" },
  { path: "/api/files/revisions/1/hide", body: {}, textFields: [] },
  { path: "/api/files/revisions/1/show", body: {}, textFields: [] },
];
const BOUNDARY = "----propagate-edge-boundary";

function encode(route: RouteCase, body: Record<string, unknown>): { body: string; type: string } {
  if (route.kind === "form") return { body: new URLSearchParams(body as Record<string, string>).toString(), type: "application/x-www-form-urlencoded" };
  if (route.kind === "multipart") {
    const parts = Object.entries(body).map(([name, value]) =>
      name === "file"
        ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="edge.vtt"\r\nContent-Type: text/vtt\r\n\r\n${String(value)}\r\n`
        : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${String(value)}\r\n`,
    );
    return { body: `${parts.join("")}--${BOUNDARY}--\r\n`, type: `multipart/form-data; boundary=${BOUNDARY}` };
  }
  return { body: JSON.stringify(body), type: "application/json" };
}

function routeVariants(route: RouteCase): Variant[] {
  const ok = encode(route, route.body);
  const signedIn = { cookie, "content-type": ok.type };
  const variants: Variant[] = [];
  if (!route.crossSite) {
    variants.push(
      { name: "cross-site", headers: { ...signedIn, origin: "http://evil.example" }, body: ok.body, expect: 403 },
      { name: "no Origin", headers: signedIn, body: ok.body, expect: 403 },
      { name: "prefetch headers, cross-site", headers: { ...signedIn, origin: "http://evil.example", purpose: "prefetch", "next-router-prefetch": "1" }, body: ok.body, expect: 403 },
      { name: "spoofed X-Forwarded-Host", headers: { ...signedIn, origin: "http://evil.example", "x-forwarded-host": "evil.example" }, body: ok.body, expect: 403 },
      { name: "forged token, bad body", headers: { authorization: "Bearer prop_forged0000000000000000000000000000000000000", "content-type": "application/json" }, body: "{not json", expect: 401 },
    );
  }
  for (const field of route.textFields) {
    variants.push({ name: `NUL in ${field}`, headers: { ...signedIn, origin }, body: encode(route, { ...route.body, [field]: NUL }).body, expect: 400 });
  }
  variants.push({ name: "oversized body", headers: { ...signedIn, origin }, body: encode(route, { ...route.body, [route.textFields[0] ?? Object.keys(route.body)[0]!]: HUGE }).body, expect: 413 });
  return variants;
}

describe.skipIf(!databaseUrl)("every JSON route refuses at the edge, writing nothing", () => {
  for (const route of routes) {
    it(`POST ${route.path}`, async () => {
      const before = await fingerprint();
      for (const variant of routeVariants(route)) {
        const res = await fetch(base() + route.path, { method: "POST", headers: variant.headers, body: variant.body });
        const text = await res.text();
        expect({ variant: variant.name, status: res.status }).toEqual({ variant: variant.name, status: variant.expect });
        expect(text, variant.name).not.toMatch(/postgres|drizzle|insert into|select |stack|at \w+ \(/i);
        if (variant.name.startsWith("NUL in ")) expect(JSON.parse(text).error.message, variant.name).toMatch(/control character \(U\+0000\)/);
        expect(res.headers.get("x-content-type-options"), variant.name).toBe("nosniff");
      }
      expect(await fingerprint()).toBe(before);
    });
  }

  it.each(["/api/pages?after=%00", "/api/titles?q=%00", "/api/pages/Adoption/revisions?before=%00", "/api/pages/Adoption/diff?from=%00&to=1", "/api/pages/%00", "/feeds/recent-changes?hideminor=%00"])(
    "GET %s is a 400 naming the parameter, never a 500",
    async (url) => {
      const res = await fetch(base() + url);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toMatch(/postgres|22021|insert|select /i);
    },
  );

  it.each(["/api/admin/exports", "/api/admin/exports/1", "/api/admin/exports/1/file"])("GET %s without an administrator's session is refused", async (url) => {
    const res = await fetch(base() + url);
    expect([401, 403]).toContain(res.status);
    expect(await res.text()).not.toMatch(/propagate-\d|<mediawiki/);
  });
  it("GET /api/auth/callback/credentials is a 4xx, never a 500", async () => {
    const res = await fetch(base() + "/api/auth/callback/credentials", { redirect: "manual" });
    expect(res.status).toBeLessThan(500);
  });
});

// ------------------------------------------------------------- server actions

/** Fields that are ids, numbers or choices rather than text. */
const NON_TEXT_FIELDS = new Set(["value", "watch", "protect", "revisionId", "baseRevisionId", "threadId", "postId", "status", "follow", "action", "userId", "role", "blocked", "id", "mentionId", "scope", "mail", "format"]);

type ActionCase = { file: string; name: string; page: string; fields: Record<string, string> };

const actions: ActionCase[] = [
  { file: "app/wiki/[slug]/edit/actions.ts", name: "previewAction", page: "/wiki/Adoption/edit", fields: { slug: "Adoption", content: "Preview text." } },
  { file: "app/wiki/[slug]/edit/actions.ts", name: "saveAction", page: "/wiki/Adoption/edit", fields: { slug: "Adoption", content: "---\ntitle: Adoption\n---\nEdited.\n", summary: "edge", baseRevisionId: "1", idempotencyKey: "edge-action-key-1" } },
  { file: "app/wiki/[slug]/history/actions.ts", name: "revertAction", page: "/wiki/Adoption/history", fields: { slug: "Adoption", revisionId: "1" } },
  { file: "app/wiki/[slug]/history/actions.ts", name: "undoAction", page: "/wiki/Adoption/history", fields: { slug: "Adoption", revisionId: "1" } },
  { file: "app/wiki/[slug]/history/actions.ts", name: "rollbackAction", page: "/wiki/Adoption/history", fields: { slug: "Adoption" } },
  { file: "app/wiki/[slug]/history/actions.ts", name: "hideFileAction", page: "/wiki/Adoption/history", fields: { revisionId: "1" } },
  { file: "app/wiki/[slug]/history/actions.ts", name: "showFileAction", page: "/wiki/Adoption/history", fields: { revisionId: "1" } },
  { file: "app/wiki/[slug]/actions.ts", name: "rateAction", page: "/wiki/Adoption", fields: { slug: "Adoption", value: "4" } },
  { file: "app/wiki/[slug]/actions.ts", name: "watchAction", page: "/wiki/Adoption", fields: { slug: "Adoption", watch: "true" } },
  { file: "app/wiki/[slug]/actions.ts", name: "protectAction", page: "/wiki/Adoption", fields: { slug: "Adoption", protect: "true", reason: "edge" } },
  { file: "app/wiki/[slug]/actions.ts", name: "deleteAction", page: "/wiki/Adoption", fields: { slug: "Adoption", reason: "edge" } },
  { file: "app/wiki/[slug]/actions.ts", name: "restoreAction", page: "/wiki/Adoption", fields: { slug: "Adoption", reason: "edge" } },
  { file: "app/wiki/[slug]/actions.ts", name: "moveAction", page: "/wiki/Adoption", fields: { slug: "Adoption", newTitle: "Adoption moved", reason: "edge" } },
  { file: "app/wiki/[slug]/talk/actions.ts", name: "newThreadAction", page: "/wiki/Adoption/talk", fields: { slug: "Adoption", title: "Edge", body: "A post.", guestName: "G", guestUrl: "https://example.org", website: "", formToken: "x" } },
  { file: "app/wiki/[slug]/talk/actions.ts", name: "replyAction", page: "/wiki/Nursery_and_garden/talk", fields: { slug: "Nursery_and_garden", threadId: "1", body: "A reply.", guestName: "G", guestUrl: "https://example.org" } },
  { file: "app/wiki/[slug]/talk/actions.ts", name: "editPostAction", page: "/wiki/Nursery_and_garden/talk", fields: { slug: "Nursery_and_garden", postId: "1", body: "Edited." } },
  { file: "app/wiki/[slug]/talk/actions.ts", name: "threadStatusAction", page: "/wiki/Nursery_and_garden/talk", fields: { slug: "Nursery_and_garden", threadId: "1", status: "resolved" } },
  { file: "app/wiki/[slug]/talk/actions.ts", name: "subscribeAction", page: "/wiki/Nursery_and_garden/talk", fields: { slug: "Nursery_and_garden", threadId: "1", follow: "true" } },
  { file: "app/moderation/actions.ts", name: "moderateAction", page: "/moderation", fields: { postId: "1", action: "hide" } },
  { file: "app/moderation/actions.ts", name: "blockSpammerAction", page: "/moderation", fields: { userId: "00000000-0000-4000-8000-000000000000" } },
  { file: "app/moderation/actions.ts", name: "moderateMentionAction", page: "/moderation", fields: { mentionId: "1", action: "hide" } },
  { file: "app/admin/data/actions.ts", name: "startExportAction", page: "/admin/data", fields: { format: "mediawiki" } },
  { file: "app/admin/users/actions.ts", name: "setRoleAction", page: "/admin/users", fields: { userId: "00000000-0000-4000-8000-000000000000", role: "editor" } },
  { file: "app/admin/users/actions.ts", name: "setBlockedAction", page: "/admin/users", fields: { userId: "00000000-0000-4000-8000-000000000000", blocked: "true" } },
  { file: "app/profile/actions.ts", name: "changeNameAction", page: "/profile", fields: { name: "Edge Renamed" } },
  { file: "app/profile/actions.ts", name: "changePasswordAction", page: "/profile", fields: { currentPassword: EDGE_ADMIN.password, newPassword: "a new edge password 77" } },
  { file: "app/profile/actions.ts", name: "createTokenAction", page: "/profile", fields: { name: "edge token", scope: "write" } },
  { file: "app/profile/actions.ts", name: "revokeTokenAction", page: "/profile", fields: { id: "1" } },
  { file: "app/profile/actions.ts", name: "endSessionAction", page: "/profile", fields: { session: "0".repeat(32) } },
  { file: "app/profile/actions.ts", name: "endAllSessionsAction", page: "/profile", fields: {} },
  { file: "app/signup/actions.ts", name: "signUpAction", page: "/signup", fields: { name: "Edge Newcomer", email: "edge-new@e2e.example", password: "a long enough password 1" } },
  { file: "app/profile/actions.ts", name: "changeEmailAction", page: "/profile", fields: { email: "edge-moved@e2e.example", password: EDGE_ADMIN.password } },
  { file: "app/profile/actions.ts", name: "resendVerificationAction", page: "/profile", fields: {} },
  { file: "app/profile/actions.ts", name: "setMailPreferencesAction", page: "/profile", fields: { mail: "never" } },
  { file: "app/forgot-password/actions.ts", name: "requestPasswordResetAction", page: "/forgot-password", fields: { email: "edge-admin@e2e.example" } },
  { file: "app/reset-password/actions.ts", name: "resetPasswordAction", page: "/reset-password", fields: { token: "x".repeat(43), password: "a new edge password 78" } },
  { file: "app/verify-email/actions.ts", name: "verifyEmailAction", page: "/verify-email", fields: { token: "x".repeat(43) } },
  { file: "app/unsubscribe/actions.ts", name: "unsubscribeAction", page: "/unsubscribe", fields: { user: "00000000-0000-4000-8000-000000000000", token: "x".repeat(43) } },
];



function actionVariants(action: ActionCase, id: string): Variant[] {
  const signedIn = { cookie, "next-action": id, accept: "text/x-component" };
  const variants: Variant[] = [
    { name: "cross-site", headers: { ...signedIn, origin: "http://evil.example" }, body: actionBody(action.fields), expect: 403 },
    { name: "no Origin", headers: signedIn, body: actionBody(action.fields), expect: 403 },
    { name: "prefetch headers, cross-site", headers: { ...signedIn, origin: "http://evil.example", purpose: "prefetch", "next-router-prefetch": "1" }, body: actionBody(action.fields), expect: 403 },
    { name: "spoofed X-Forwarded-Host", headers: { ...signedIn, origin: "http://evil.example", "x-forwarded-host": "evil.example" }, body: actionBody(action.fields), expect: 403 },
    { name: "forged token, bad body", headers: { "next-action": id, origin, authorization: "Bearer prop_forged0000000000000000000000000000000000000" }, body: "not a form", expect: 401 },
    { name: "oversized body", headers: { ...signedIn, origin }, body: actionBody({ ...action.fields, [Object.keys(action.fields)[0]!]: HUGE }), expect: 413 },
  ];
  return variants;
}

describe.skipIf(!databaseUrl)("every server action refuses at the edge, writing nothing", () => {
  it("the table names every server action of the build", () => {
    const ids = actionIds();
    expect([...ids.keys()].sort()).toEqual(actions.map((a) => `${a.file}#${a.name}`).sort());
  });

  for (const action of actions) {
    it(`${action.name} (${action.file})`, async () => {
      const id = actionIds().get(`${action.file}#${action.name}`);
      expect(id, "the action is in the build").toBeDefined();
      const before = await fingerprint();
      for (const variant of actionVariants(action, id!)) {
        const res = await fetch(base() + action.page, { method: "POST", headers: variant.headers, body: variant.body });
        const text = await res.text();
        expect({ variant: variant.name, status: res.status }).toEqual({ variant: variant.name, status: variant.expect });
        expect(text, variant.name).not.toMatch(/postgres|insert into|22021/i);
      }
      // A NUL in any field: the form's answer names the field's problem (a form state, the form protocol's
      // refusal), and nothing is written.
      for (const field of Object.keys(action.fields)) {
        const res = await fetch(base() + action.page, { method: "POST", headers: { cookie, origin, "next-action": id!, accept: "text/x-component" }, body: actionBody({ ...action.fields, [field]: NUL }) });
        const text = await res.text();
        expect(res.status, `NUL in ${field}`).toBeLessThan(500);
        // A text field's refusal names the character (so the field reached the text rule: an empty form is refused
        // differently); an id, number or choice is refused as not one.
        if (NON_TEXT_FIELDS.has(field)) expect(text, `NUL in ${field}`).toMatch(/"error":"[^"]+"/);
        else expect(text, `NUL in ${field}`).toMatch(/"error":"[^"]*control character \(U\+0000\)/);
        expect(text).not.toMatch(/postgres|insert into|22021/i);
      }
      expect(await fingerprint()).toBe(before);
    });
  }
});
