import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

let browser: Browser;
const base = () => inject("baseUrl");
const member = { name: "Tess Talker", email: "tess@e2e.example", password: "orange lighthouse 77" };
const moderator = { name: "Mo Derator", email: "moderator@e2e.example", password: "silver kettle drum 5" };

async function until(p: Page, pattern: RegExp) {
  await expect.poll(() => p.url(), { timeout: 30_000, interval: 100 }).toMatch(pattern);
  await p.waitForLoadState("domcontentloaded");
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("talk pages", () => {
  let spamPostId = "";

  it("shows the seeded discussion: Howard Johnson's metaphor and Kevin's nested reply", async () => {
    const page = await browser.newPage();
    await page.goto(`${base()}/wiki/Nursery_and_garden/talk`);
    const thread = page.locator(".talk-thread").first();
    await expect(thread.locator(".talk-author").first().textContent()).resolves.toBe("Howard Johnson");
    await expect(thread.locator(".talk-body").first().innerText()).resolves.toContain("KM is the nusery");
    // Signed "Kevin" on the blog: the name is shown as signed, not as the inferred "Kevin Jones".
    await expect(thread.locator(".talk-replies .talk-author").first().textContent()).resolves.toBe("Kevin");
    // The seed records no dates: imported comments are shown undated, never with an invented time.
    await expect(thread.locator(".talk-permalink").first().textContent()).resolves.toBe("date not recorded");
    expect(await thread.innerText()).not.toMatch(/2008-03-01|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await page.goto(`${base()}/wiki/The_Differences_between_Social_Learning_and_Knowledge_Management/talk`);
    await expect(page.locator(".mentions").innerText()).resolves.toContain("Mentioned by Library clips");
    await page.close();
  });

  it("a member replies to Kevin's post and the reply is shown nested under it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpViaForm(page, base(), member);
    await page.goto(`${base()}/wiki/Nursery_and_garden/talk`);
    await hydrated(page);
    const kevin = page.locator(".talk-replies .talk-post").first();
    await kevin.locator("button.reply-toggle").first().click();
    // The form takes the post's width, not a squeezed column beside its tools.
    expect((await kevin.locator("form.reply-form").boundingBox())!.width).toBeGreaterThan(400);
    await kevin.locator("textarea[name=body]").fill("I read the garden as the <em>context</em> where a cutting takes root.");
    await kevin.locator("form.reply-form button[type=submit]").click();
    await until(page, /\/talk\/\d+#post-\d+$/);
    await page.locator(".talk-author", { hasText: member.name }).waitFor();
    const mine = page.locator(".talk-post", { hasText: member.name }).last();
    await expect(mine.locator("em").textContent()).resolves.toBe("context");

    // The author edits the reply; the earlier version stays visible in its history.
    await hydrated(page);
    await mine.locator("button", { hasText: "Edit" }).click();
    await mine.locator("form[aria-label='Edit your post'] textarea").fill("I read the garden as the <strong>context</strong> in which a cutting takes root.");
    await mine.locator("form[aria-label='Edit your post'] button[type=submit]").click();
    await page.locator(".talk-post", { hasText: member.name }).last().locator("strong", { hasText: "context" }).waitFor();
    await expect(page.locator(".talk-post", { hasText: member.name }).last().locator(".post-history summary").textContent()).resolves.toBe("Earlier versions (1)");
    await context.close();
  });

  it("a guest's spam is held, visible to the guest with reasons, and waits in the moderation queue", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base()}/wiki/Adoption/talk`);
    await hydrated(page);
    await page.waitForTimeout(3100);
    await page.fill(".new-thread input[name=title]", "Great deals");
    await page.fill(".new-thread textarea[name=body]", "Ѕоma without rx, cheap Ativan, 180 count. Order at http://pills.example now");
    await page.fill(".new-thread input[name=guestName]", "Soma.");
    await page.click(".new-thread button[type=submit]");
    await expect(page.locator(".new-thread [role=status]").innerText()).resolves.toMatch(/held for a moderator/);
    await page.reload();
    const held = page.locator(".talk-post", { has: page.locator(".badge.held") }).first();
    await expect(held.locator(".held-reasons").innerText()).resolves.toMatch(/Why:/);
    spamPostId = ((await held.getAttribute("id")) ?? "").replace("post-", "");
    expect(spamPostId).toMatch(/^\d+$/);

    const stranger = await browser.newPage();
    await stranger.goto(`${base()}/wiki/Adoption/talk`);
    await expect(stranger.locator(`#post-${spamPostId}`).count()).resolves.toBe(0);
    await stranger.close();
    await context.close();
  });

  it("a moderator marks it as spam from the queue", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpViaForm(page, base(), moderator);
    await page.goto(`${base()}/moderation`);
    await hydrated(page);
    const item = page.locator(`.queue li[data-post="${spamPostId}"]`);
    await item.locator("button", { hasText: "Mark spam" }).click();
    await expect.poll(() => page.locator(`.queue li[data-post="${spamPostId}"]`).count(), { timeout: 30_000 }).toBe(0);
    await page.reload();
    await expect(page.locator(".changes").innerText()).resolves.toContain(`spam post ${spamPostId}`);

    // Moderators also rename pages; the old title redirects to the new one.
    await page.goto(`${base()}/wiki/PodCascadia_Episode_50`);
    await hydrated(page);
    await page.locator(".more-menu > summary").click();
    await page.locator(".move-page summary").click();
    await page.fill(".move-page input[name=newTitle]", "PodCascadia episode 50 (2008)");
    await page.locator(".move-page button[type=submit]").click();
    await until(page, /\/wiki\/PodCascadia_episode_50_\(2008\)(\?|$)/);
    const old = await page.goto(`${base()}/wiki/PodCascadia_Episode_50`);
    expect(old?.status()).toBe(200);
    expect(page.url()).toMatch(/\/wiki\/PodCascadia_episode_50_\(2008\)\?redirectedfrom=PodCascadia_Episode_50$/);
    await expect(page.locator(".page-header").innerText()).resolves.toContain("Redirected from PodCascadia Episode 50");
    // Old links to its history and to an old revision keep working.
    const { revision } = (await (await fetch(`${base()}/api/pages/PodCascadia_episode_50_(2008)`)).json()) as { revision: { id: number } };
    await page.goto(`${base()}/wiki/PodCascadia_Episode_50/history`);
    expect(page.url()).toMatch(/\/wiki\/PodCascadia_episode_50_\(2008\)\/history$/);
    await expect(page.locator(".history li").count()).resolves.toBeGreaterThan(0);
    await page.goto(`${base()}/wiki/PodCascadia_Episode_50?rev=${revision.id}`);
    expect(page.url()).toContain(`rev=${revision.id}`);
    await context.close();
  });

  it("an editor carries a post into the page, and the revision links back to it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpViaForm(page, base(), { name: "Cara Carrier", email: "cara@e2e.example", password: "walnut harbour 314" });
    await page.goto(`${base()}/wiki/Nursery_and_garden/talk`);
    const howard = page.locator(".talk-post", { hasText: "Howard Johnson" }).first();
    const postId = ((await howard.getAttribute("id")) ?? "").replace("post-", "");
    await howard.locator("a.carry-link").first().click();
    await until(page, /\/edit\?carry=\d+$/);
    await hydrated(page);
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain('<Quote author="Howard Johnson"');
    await expect(page.locator("input[name=summary]").inputValue()).resolves.toContain(`post ${postId}`);
    await page.locator(".preview .prose").waitFor();
    await page.click("button.primary");
    await until(page, /\/wiki\/Nursery_and_garden(\?|$)/);
    await expect(page.locator(".prose .quote figcaption").last().innerText()).resolves.toContain("Howard Johnson");
    const back = await page.locator(".prose .quote cite a").last().getAttribute("href");
    expect(back).toMatch(new RegExp(`/wiki/Nursery_and_garden/talk/\\d+#post-${postId}$`));
    await page.goto(`${base()}/wiki/Nursery_and_garden/history`);
    await expect(page.locator(".history li").first().innerText()).resolves.toContain("carried from discussion");
    await page.goto(`${base()}/wiki/Nursery_and_garden/talk`);
    await expect(page.locator(`#post-${postId} .badge.carried`).innerText()).resolves.toMatch(/carried into revision \d+/);
    await context.close();
  });
});

describe("talk API limits", () => {
  it("holds exactly 10 posts per 10 seconds from one address, answering 429 with Retry-After, also in parallel", async () => {
    // Let the window of the posts above expire.
    await new Promise((r) => setTimeout(r, 10_500));
    const post = (i: number) =>
      fetch(`${base()}/api/pages/Adoption/talk`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: base() },
        body: JSON.stringify({ title: `Burst ${i}`, body: `A considered thought number ${i} about adoption.`, guestName: "Burst Tester" }),
      });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    const limited = responses.filter((r) => r.status === 429);
    expect(limited).toHaveLength(10);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited[0]!.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });
});
