import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated } from "../support/e2e-accounts";

let browser: Browser;
let context: BrowserContext;
const base = () => inject("baseUrl");

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext();
  // Record CSP violations from the first script on, before any page script runs.
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
});
afterAll(async () => {
  await browser?.close();
});

async function visit(page: Page, path: string): Promise<string[]> {
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
  });
  await page.goto(base() + path, { waitUntil: "load" });
  await page.waitForTimeout(300);
  const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  return [...violations, ...consoleErrors];
}

describe("content security policy", () => {
  it("every page rendered for a reader sends a nonce-based CSP without unsafe-eval or unsafe-inline scripts", async () => {
    // An address of its own is not in the page cache (which sends hashes instead; see page-cache.spec.ts).
    const res = await fetch(`${base()}/wiki/Adoption?redirectedfrom=Csp_${Date.now()}_1`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    const again = (await fetch(`${base()}/wiki/Adoption?redirectedfrom=Csp_${Date.now()}_2`)).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
  });

  it.each(["/", "/wiki/Adoption", "/wiki/Nursery_and_garden/talk", "/search?q=garden", "/help/editing"])(
    "%s renders and hydrates under the CSP with no violations",
    async (path) => {
      const page = await context.newPage();
      const violations = await visit(page, path);
      expect(violations).toEqual([]);
      await page.close();
    },
  );

  it("client components work under the CSP (the copy-link button responds)", async () => {
    const page = await context.newPage();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base() });
    await page.goto(base() + "/wiki/Adoption");
    await hydrated(page);
    await page.locator("button.copy-link").click();
    await page.locator("button.copy-link", { hasText: "Link copied" }).waitFor({ timeout: 5000 });
    await page.close();
  });

  it("the Webmention endpoint takes cross-site posts (no cookies involved) and answers bad ones with a reason", async () => {
    const res = await fetch(base() + "/api/webmention", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://blog.example" },
      body: "source=https%3A%2F%2Fblog.example%2Fpost&target=https%3A%2F%2Felsewhere.example%2F",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not a page of this wiki/);
    const html = await (await fetch(base() + "/wiki/Adoption")).text();
    expect(html).toMatch(/<link rel="webmention" href="\/api\/webmention"/);
  });

  it("ids beyond the database's integer range get a 4xx or a page that says so, never a 500", async () => {
    const big = "9999999999";
    const gets = [
      `/wiki/Adoption?rev=${big}`,
      `/wiki/Adoption/diff?to=${big}`,
      `/wiki/Adoption/history?before=${big}`,
      `/wiki/Adoption/talk/2147483648`,
      `/api/pages/Adoption/revisions/${big}`,
      `/api/pages/Adoption/revisions?before=${big}`,
      `/api/pages/Adoption/diff?from=1&to=${big}`,
      `/users/Kevin_Jones?before=${big}`,
      `/users/%00`,
      `/recent-changes?user=%00`,
    ];
    for (const path of gets) {
      const res = await fetch(base() + path);
      expect(res.status, path).toBeLessThan(500);
    }
    const post = await fetch(`${base()}/api/pages/Adoption/talk/2147483648/posts`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: base() },
      body: JSON.stringify({ body: "hello", guestName: "n" }),
    });
    expect(post.status).toBe(400);
    expect(((await post.json()) as { error: { message: string } }).error.message).toMatch(/2147483647/);
  });

  it("the sign-in page shows only its own error texts and sends people back only within the site", async () => {
    const html = await (await fetch(`${base()}/signin?error=${encodeURIComponent("Session expired, sign in at evil.example")}&callbackUrl=${encodeURIComponent("/\t/evil.example")}`)).text();
    // (The address itself appears in Next.js's router payload; what matters is what the page says and does.)
    expect(html).toContain('<p class="form-error" role="alert">Sign-in did not work; please try again.</p>');
    expect(html).not.toMatch(/role="alert">[^<]*evil/);
    expect(html).toContain('\\"callbackUrl\\":\\"/\\"');
  });

  it("no page or RSC payload reveals the database connection string", async () => {
    for (const path of ["/", "/wiki/Adoption", "/wiki/Adoption/talk", "/search?q=adoption", "/api/health", "/wiki/Nope"]) {
      for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
        const body = await (await fetch(base() + path, { headers })).text();
        expect(body, path).not.toMatch(/postgres(ql)?:\/\//);
      }
    }
  });
});
