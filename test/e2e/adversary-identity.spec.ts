import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import postgres from "postgres";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

// Adversary findings (adv3) against "Identity you can trust". Each test fails on the code as built.
let browser: Browser;
const base = () => inject("baseUrl");
const databaseUrl = inject("e2eDatabaseUrl");
const run = Date.now().toString(36).slice(-5);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("adversary: identity", () => {
  it("refuses a user name that differs from an existing one only by a capital I for an l", async () => {
    const real = { name: `Lilith ${run}`, email: `lilith-${run}@adv3.example`, password: "adversary real pw 91" };
    // Capital I (U+0049) in place of the l: identical in sans-serif fonts, and confusable under UTS #39.
    const fake = { name: `LiIith ${run}`, email: `liiith-${run}@adv3.example`, password: "adversary fake pw 92" };
    const a = await browser.newContext();
    await signUpViaForm(await a.newPage(), base(), real);
    await a.close();

    const b = await browser.newContext();
    const page = await b.newPage();
    await page.goto(base() + "/signup");
    await hydrated(page);
    await page.fill("input[name=name]", fake.name);
    await page.fill("input[name=email]", fake.email);
    await page.fill("input[name=password]", fake.password);
    await page.click("main form button[type=submit]");
    const outcome = await Promise.race([
      page.locator(".user-menu .user-name", { hasText: fake.name }).waitFor().then(() => "created" as const),
      page.locator(".form-error").waitFor().then(() => "refused" as const),
    ]);
    expect(outcome).toBe("refused");
    await expect(page.locator(".form-error").innerText()).resolves.toContain("looks like");
    await b.close();
  });

  it("feeds use the site's own origin for their absolute URLs, not the server's bind address", async () => {
    const res = await fetch(base() + "/feeds/recent-changes");
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).not.toContain("0.0.0.0");
    expect(xml).toContain(`<link rel="alternate" href="${base()}/recent-changes"/>`);
  });

  it("the OpenAPI document names the site's own origin as its server", async () => {
    const doc = (await (await fetch(base() + "/api/openapi.json")).json()) as { servers?: { url: string }[] };
    expect(JSON.stringify(doc)).not.toContain("0.0.0.0");
    expect(doc.servers?.[0]?.url).toBe(base());
  });

  it.skipIf(!databaseUrl)("a blocked (or expired) account's token gets 403/401 from /api/me and /profile, never a 500", async () => {
    const who = { name: `Blocked ${run}`, email: `blocked-${run}@adv3.example`, password: "adversary blocked pw 93" };
    const ctx = await browser.newContext();
    await signUpViaForm(await ctx.newPage(), base(), who);
    await ctx.close();
    const blocked = "prop_" + randomBytes(32).toString("base64url");
    const expired = "prop_" + randomBytes(32).toString("base64url");
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [user] = await sql<{ id: string }[]>`select id from users where email = ${who.email}`;
      for (const [token, days] of [[blocked, 30], [expired, -1]] as const) {
        await sql`insert into api_tokens (user_id, name, scope, token_hash, prefix, expires_at)
                  values (${user!.id}, ${"adv3"}, ${"write"}, ${createHash("sha256").update(token).digest("hex")}, ${token.slice(0, 11)}, now() + make_interval(days => ${days}))`;
      }
      // The expired token first (its account is not blocked yet): 401 saying it expired.
      const exp = await fetch(base() + "/api/me", { headers: { Authorization: `Bearer ${expired}` } });
      expect(exp.status).toBe(401);
      await sql`update users set blocked_at = now() where id = ${user!.id}`;
    } finally {
      await sql.end();
    }
    const me = await fetch(base() + "/api/me", { headers: { Authorization: `Bearer ${blocked}` } });
    expect(me.status).toBe(403);
    const profile = await fetch(base() + "/profile", { headers: { Authorization: `Bearer ${blocked}` }, redirect: "manual" });
    expect(profile.status).not.toBe(500);
  });
});
