import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signInViaForm, signUpViaForm } from "../support/e2e-accounts";
import { mailLink, waitForMail, type StoredMail } from "../support/mail-box";

/**
 * Issue 18's mail, end to end against the production build and the suite's
 * real SMTP server (mailparser reads what arrives): the profile's mail
 * settings in Chromium, the mail a moderator gets for a held post, and the
 * one-click unsubscribe (RFC 8058) over HTTP as a mail client sends it, with
 * the adversary's variations (forged, replayed, concurrent, cross-site, GET).
 */
let browser: Browser;
const base = () => inject("baseUrl");
const moderator = { name: "Mila Mailmod", email: "mail-moderator@e2e.example", password: "juniper compass harbour 61" };
let heldMail: StoredMail;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The profile's choice as the page shows it after a reload. */
async function shownChoice(page: Page): Promise<{ mail: string; minorEdits: boolean }> {
  await page.goto(base() + "/profile");
  await hydrated(page);
  const form = page.locator("form", { has: page.getByRole("button", { name: "Save mail settings" }) });
  for (const [label, value] of [["At once", "instant"], ["A daily digest", "daily"], ["Never", "never"]] as const) {
    if (await form.getByRole("radio", { name: label }).isChecked()) return { mail: value, minorEdits: await form.getByRole("checkbox", { name: "Minor edits of watched pages too" }).isChecked() };
  }
  throw new Error("no mail choice is checked");
}

/** Save the profile's mail form with these choices and wait for its answer. */
async function chooseMail(page: Page, label: "At once" | "A daily digest" | "Never", minorEdits: boolean, answer: RegExp): Promise<void> {
  await page.goto(base() + "/profile");
  await hydrated(page);
  const form = page.locator("form", { has: page.getByRole("button", { name: "Save mail settings" }) });
  await form.getByRole("radio", { name: label }).check();
  await form.getByRole("checkbox", { name: "Minor edits of watched pages too" }).setChecked(minorEdits);
  await form.getByRole("button", { name: "Save mail settings" }).click();
  await form.getByRole("status").filter({ hasText: answer }).waitFor();
}

/** The List-Unsubscribe address of a mail, on the test's own origin (the mail names the wiki as localhost). */
function oneClickAddress(mail: StoredMail): URL {
  const header = mail.headers["list-unsubscribe"] ?? "";
  const match = /^List-Unsubscribe: <([^>]+)>$/.exec(header);
  if (!match) throw new Error(`no List-Unsubscribe header: ${header}`);
  const url = new URL(match[1]!);
  return new URL(url.pathname + url.search, base());
}

const oneClick = (url: URL | string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: "List-Unsubscribe=One-Click" });

describe("mail in the browser and over HTTP", () => {
  it("the profile's mail settings are saved and shown again: a daily digest with minor edits, then at once without", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpViaForm(page, base(), moderator);
    expect(await shownChoice(page)).toEqual({ mail: "instant", minorEdits: false });
    await chooseMail(page, "A daily digest", true, /one digest a day/);
    expect(await shownChoice(page)).toEqual({ mail: "daily", minorEdits: true });
    await chooseMail(page, "At once", false, /as they happen/);
    expect(await shownChoice(page)).toEqual({ mail: "instant", minorEdits: false });
    await context.close();
  });

  it("a guest's held post is mailed to a moderator: both parts, a link to the queue, and one-click unsubscribe headers", async () => {
    const guest = await browser.newContext();
    const page = await guest.newPage();
    await page.goto(`${base()}/wiki/Adoption/talk`);
    await hydrated(page);
    await page.waitForTimeout(3100); // a guest's form sent sooner is taken for a bot's
    await page.fill(".new-thread input[name=title]", "Cheap deals for moderators");
    await page.fill(".new-thread textarea[name=body]", "Ѕоma without rx, cheap Ativan, 180 count. Order at http://pills.example now");
    await page.fill(".new-thread input[name=guestName]", "Soma.");
    await page.click(".new-thread button[type=submit]");
    await expect(page.locator(".new-thread [role=status]").innerText()).resolves.toMatch(/held for a moderator/);
    await guest.close();

    heldMail = await waitForMail(inject("mailDir"), moderator.email, /waits for a moderator/);
    expect(heldMail.subject).toBe('Adoption: A post by Soma. in "Cheap deals for moderators" on the talk page of Adoption waits for a moderator');
    expect(heldMail.text).toContain(`${new URL(mailLink(heldMail, "/moderation")).pathname}`);
    expect(heldMail.html).toContain('waits for a moderator</a>');
    expect(heldMail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(oneClickAddress(heldMail).pathname).toBe("/api/unsubscribe");
  });

  it("/api/unsubscribe: a GET or a forged token changes nothing; the mail's POST works from any site, twice at once, and again", async () => {
    const address = oneClickAddress(heldMail);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInViaForm(page, base(), moderator);

    // A link scanner's GET never unsubscribes.
    expect((await fetch(address)).status).toBe(405);
    // Forged: another token, a cut token, another user's id with this token.
    const forged = new URL(address);
    forged.searchParams.set("token", "A".repeat(43));
    const cut = new URL(address);
    cut.searchParams.set("token", address.searchParams.get("token")!.slice(0, -1));
    const otherUser = new URL(address);
    otherUser.searchParams.set("user", "00000000-0000-4000-8000-000000000000");
    for (const url of [forged, cut, otherUser]) {
      const res = await oneClick(url);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("This unsubscribe link is not valid.");
    }
    expect((await shownChoice(page)).mail).toBe("instant");

    // The mail client's POST: no cookie, another site's Origin (or none), twice at once.
    const answers = await Promise.all([oneClick(address, { Origin: "https://mail.example" }), oneClick(address)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await answers[0]!.text()).toBe("You will get no more notification mail.\n");
    expect(answers[0]!.headers.get("cache-control")).toBe("no-store");
    expect((await shownChoice(page)).mail).toBe("never");
    // Replayed later: the same answer, nothing else changes.
    expect((await oneClick(address)).status).toBe(200);

    // The page for people (the mail's text link) says so too, without signing in.
    await chooseMail(page, "At once", false, /as they happen/);
    const stranger = await browser.newContext();
    const link = new URL(mailLink(heldMail, "/unsubscribe?user="));
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(new URL(link.pathname + link.search, base()).href);
    await hydrated(strangerPage);
    await strangerPage.getByRole("button", { name: "Stop notification mail" }).click();
    await strangerPage.getByRole("status").filter({ hasText: "you will get no more notification mail" }).waitFor();
    expect((await shownChoice(page)).mail).toBe("never");
    await stranger.close();
    await context.close();
  });

  it("the reset form answers an unknown address exactly as a known one", async () => {
    const answers: string[] = [];
    for (const email of [moderator.email, "nobody-at-all@e2e.example"]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(base() + "/forgot-password");
      await hydrated(page);
      await page.getByRole("textbox", { name: "Email" }).fill(email);
      await page.getByRole("button", { name: "Send me a reset link" }).click();
      const status = page.getByRole("status").filter({ hasText: "If an account uses this address" });
      await status.waitFor();
      answers.push((await status.textContent()) ?? "");
      await context.close();
    }
    expect(answers[1]).toBe(answers[0]);
  });
});
