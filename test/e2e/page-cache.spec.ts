import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

// The anonymous page cache in the production server (lib/http/page-cache.ts),
// seen from outside: what readers get, what a browser makes of a cached page,
// and that an edit shows at once.
let browser: Browser;
let editorContext: BrowserContext;
let editorPage: Page;
const base = () => inject("baseUrl");
const editor = { name: "Cato Cache", email: "cato@e2e.example", password: "cardamom lighthouse 77" };
// Addresses of its own give this spec fresh cache keys, whatever ran before. The
// key keeps only parameters the route reads, so use one it reads: a page's
// "redirected from" note, or the position in a history.
let n = 0;
const stamp = () => `${Date.now()}${++n}`;
const fresh = (path: string) => (path.endsWith("/history") ? `${path}?before=${1_000_000_000 + ++n}` : `${path}?redirectedfrom=Cachespec_${stamp()}`);

beforeAll(async () => {
  browser = await launchBrowser();
  editorContext = await browser.newContext();
  editorPage = await editorContext.newPage();
  await signUpViaForm(editorPage, base(), editor);
});
afterAll(async () => {
  await browser?.close();
});

describe("anonymous page views", () => {
  it("the first view is rendered for its reader; the next come from the cache with validators and a hash-based CSP", async () => {
    const url = base() + fresh("/wiki/Adoption");
    const first = await fetch(url);
    expect(first.headers.get("x-page-cache")).toBe("miss");
    expect(first.headers.get("content-security-policy")).toMatch(/'nonce-/);
    expect(first.headers.get("cache-control")).toMatch(/no-store/);
    const firstBody = await first.text();

    // Identity encoding throughout, so the ETag is the uncompressed one (each coding has its own).
    const identity = { "Accept-Encoding": "identity" };
    const second = await fetch(url, { headers: identity });
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    // The same for every reader, so not varied by cookie (history is; see below).
    expect(second.headers.get("vary")).toMatch(/Accept-Encoding/);
    expect(second.headers.get("vary")).not.toMatch(/Cookie/);
    const etag = second.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(Date.parse(second.headers.get("last-modified")!)).toBeGreaterThan(Date.now() - 120_000);
    const csp = second.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    expect(csp).not.toMatch(/nonce|strict-dynamic|unsafe/);

    const revalidated = await fetch(url, { headers: { ...identity, "If-None-Match": etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
    // Parameters the page does not read share the one copy.
    const unknown = await fetch(`${url}&utm_source=elsewhere`, { headers: identity });
    expect(unknown.headers.get("x-page-cache")).toBe("hit");
    expect(unknown.headers.get("etag")).toBe(etag);
    // Compressed in the background after the fill.
    await expect.poll(async () => (await fetch(url, { headers: { "Accept-Encoding": "br" } })).headers.get("content-encoding")).toBe("br");
    const compressed = await fetch(url, { headers: { "Accept-Encoding": "br" } });
    expect(compressed.headers.get("etag")).not.toBe(etag);
    expect(await compressed.text()).toBe(firstBody); // fetch decodes br
  });

  it("the reader who causes a miss gets it compressed, and the entry stored from it serves every coding", async () => {
    const url = base() + fresh("/wiki/Adoption");
    const miss = await fetch(url, { headers: { "Accept-Encoding": "gzip" } });
    expect(miss.headers.get("x-page-cache")).toBe("miss");
    expect(miss.headers.get("content-encoding")).toBe("gzip");
    const html = await miss.text(); // fetch decodes gzip
    const plain = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
    expect(plain.headers.get("x-page-cache")).toBe("hit");
    expect(plain.headers.get("content-encoding")).toBeNull();
    // The same page but for its per-request nonce, which the stored copy swaps for hashes.
    const withoutNonces = (s: string) => s.replace(/ nonce="[^"]*"/g, "");
    expect(withoutNonces(await plain.text())).toBe(withoutNonces(html));
  });

  it("another percent-encoding of a title is answered from the canonical entry and never fills one; other spellings redirect", async () => {
    const query = `?redirectedfrom=Cachespec_${stamp()}`;
    const canonical = `${base()}/wiki/Adoption${query}`;
    const encoded = `${base()}/wiki/%41doption${query}`;
    const before = await fetch(encoded);
    expect(before.status).toBe(200);
    expect(before.headers.get("x-page-cache")).toBeNull();
    expect((await fetch(encoded)).headers.get("x-page-cache")).toBeNull();
    // A page is stored once it has been sent in full: read the miss to the end, as a browser does.
    const filling = await fetch(canonical);
    expect(filling.headers.get("x-page-cache")).toBe("miss");
    await filling.text();
    const stored = await fetch(canonical);
    expect(stored.headers.get("x-page-cache")).toBe("hit");
    const reached = await fetch(encoded);
    expect(reached.headers.get("x-page-cache")).toBe("hit");
    expect(await reached.text()).toBe(await stored.text());
    const lower = await fetch(`${base()}/wiki/adoption${query}`, { redirect: "manual" });
    expect(lower.status).toBe(308);
    expect(lower.headers.get("x-page-cache")).not.toBe("hit");
    // (Paths such as /wiki/%2E%2E cannot be sent with fetch, which resolves them; see test/unit/http/page-cache-plan.test.ts.)
  });

  it("a cached page hydrates under its policy: no violations, client navigation and buttons work", async () => {
    const path = fresh("/wiki/Adoption");
    await (await fetch(base() + path)).text(); // fill
    const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    await context.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const consoleCsp: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
    });
    const response = await page.goto(base() + path);
    expect(response?.headers()["x-page-cache"]).toBe("hit");
    await hydrated(page);
    await page.locator("button.copy-link").click();
    await page.locator("button.copy-link", { hasText: "Link copied" }).waitFor({ timeout: 5000 });
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.click(".site-nav >> text=Recent changes");
    await expect.poll(() => page.url()).toContain("/recent-changes");
    // Still the same document: the router navigated on the client.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(consoleCsp).toEqual([]);
    await context.close();
  });

  it("signed-in readers share cached page views (the browser fills in their menu and tools) but not history", async () => {
    const path = fresh("/wiki/Adoption");
    await (await fetch(base() + path)).text();
    const response = await editorPage.goto(base() + path);
    expect(response?.headers()["x-page-cache"]).toBe("hit");
    await hydrated(editorPage);
    await editorPage.locator(".user-menu .user-name", { hasText: editor.name }).waitFor();
    await editorPage.locator(".page-actions button", { hasText: "Watch" }).waitFor();

    // History shows tools by role: rendered for each signed-in reader.
    const historyPath = fresh("/wiki/Adoption/history");
    await (await fetch(base() + historyPath)).text();
    const anonymousHistory = await fetch(base() + historyPath);
    expect(anonymousHistory.headers.get("x-page-cache")).toBe("hit");
    expect(anonymousHistory.headers.get("vary")).toMatch(/Cookie/);
    expect(anonymousHistory.headers.get("cache-control")).toBe("private, no-cache");
    const history = await editorPage.goto(base() + historyPath);
    expect(history?.headers()["x-page-cache"]).toBeUndefined();
    expect(history?.headers()["content-security-policy"]).toMatch(/'nonce-/);
  });
});

describe("edits reach readers at once", () => {
  it("saving a page purges its cached view, history and the overview", async () => {
    const paths = ["/wiki/Media_and_ways_to_contribute", "/wiki/Media_and_ways_to_contribute/history", "/compare"];
    for (const path of paths) {
      await (await fetch(base() + path)).text();
      expect((await fetch(base() + path)).headers.get("x-page-cache")).toBe("hit");
    }
    const marker = `Cache check ${Date.now()}`;
    await editorPage.goto(`${base()}/wiki/Media_and_ways_to_contribute/edit`);
    await hydrated(editorPage);
    await editorPage.fill("textarea[name=field-sl]", marker);
    await expect(editorPage.locator("textarea[name=source-editor]").inputValue()).resolves.toContain(marker);
    await editorPage.fill("input[name=summary]", "page cache e2e");
    await editorPage.click("button.primary");
    await expect.poll(() => editorPage.url(), { timeout: 30_000 }).toMatch(/\/wiki\/Media_and_ways_to_contribute\?saved=1$/);

    // (The editor's own view after saving may already have refilled the cache, with the new text.)
    const view = await fetch(base() + "/wiki/Media_and_ways_to_contribute");
    expect(await view.text()).toContain(marker);
    expect(await (await fetch(base() + "/wiki/Media_and_ways_to_contribute/history")).text()).toContain("page cache e2e");
    expect(await (await fetch(base() + "/compare")).text()).toContain(marker);
  });

  it("feeds and the page API carry validators, answer 304 while current, and change with an edit", async () => {
    const urls = ["/feeds/recent-changes", "/feeds/history/Media_and_ways_to_contribute", "/api/pages/Media_and_ways_to_contribute"];
    const before = new Map<string, string>();
    for (const url of urls) {
      const res = await fetch(base() + url);
      expect(res.status, url).toBe(200);
      const etag = res.headers.get("etag")!;
      expect(etag, url).toMatch(/^"[\w-]{27}"$/);
      before.set(url, etag);
      expect((await fetch(base() + url, { headers: { "If-None-Match": etag } })).status, url).toBe(304);
    }
    const feed = await fetch(base() + "/feeds/recent-changes");
    expect(feed.headers.get("cache-control")).toBe("public, max-age=60");
    // Without PUBLIC_URL its links are built on the Host: a shared cache keeps one copy per host.
    expect(feed.headers.get("vary")?.split(/,\s*/)).toContain("Host");
    // No Last-Modified: hiding a post changes a feed without a newer entry date, so dates cannot validate it.
    expect(feed.headers.get("last-modified")).toBeNull();
    expect((await fetch(base() + "/feeds/recent-changes", { headers: { "If-Modified-Since": new Date().toUTCString() } })).status).toBe(200);

    await editorPage.goto(`${base()}/wiki/Media_and_ways_to_contribute/edit`);
    await hydrated(editorPage);
    await editorPage.fill("input[name=summary]", "validators e2e");
    const marker = `Validators ${Date.now()}`;
    await editorPage.fill("textarea[name=field-tkm]", marker);
    // The field is written into the page's source on the next render: save once the source holds it.
    await expect.poll(() => editorPage.locator("input[name=content]").inputValue()).toContain(marker);
    await editorPage.click("button.primary");
    await expect.poll(() => editorPage.url(), { timeout: 30_000 }).toMatch(/\/wiki\/Media_and_ways_to_contribute\?saved=1$/);
    for (const url of urls) {
      const res = await fetch(base() + url, { headers: { "If-None-Match": before.get(url)! } });
      expect(res.status, url).toBe(200);
      expect(res.headers.get("etag"), url).not.toBe(before.get(url));
    }
  });
});
