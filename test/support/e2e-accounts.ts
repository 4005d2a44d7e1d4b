import type { BrowserContext, Page } from "playwright-core";
import { inject } from "vitest";
import { mailLink, waitForMail } from "./mail-box";

/** Wait until React has hydrated the page (the user menu fills itself in only then). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator(".user-menu:not([aria-busy])").waitFor();
}

/**
 * Sign up through the form, wait until the header shows the new user, then
 * confirm the address with the link the wiki mailed (so an ADMIN_EMAIL
 * account is an administrator from then on), unless `confirm` is false.
 */
export async function signUpViaForm(page: Page, base: string, who: { name: string; email: string; password: string }, confirm = true): Promise<void> {
  await page.goto(base + "/signup");
  await hydrated(page);
  await page.fill("input[name=name]", who.name);
  await page.fill("input[name=email]", who.email);
  await page.fill("input[name=password]", who.password);
  await page.click("main form button[type=submit]");
  await page.locator(".user-menu .user-name", { hasText: who.name }).waitFor();
  if (confirm) await confirmAddress(page, who.email);
}

/** Open the confirmation link mailed to `email` and press its button. */
export async function confirmAddress(page: Page, email: string): Promise<void> {
  const mail = await waitForMail(inject("mailDir"), email, /^Confirm your email address/);
  await page.goto(mailLink(mail, "/verify-email?token="));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await page.getByRole("status").filter({ hasText: "is confirmed as your address" }).waitFor();
}

/** Sign in through the form and wait for the header to show the user. */
export async function signInViaForm(page: Page, base: string, who: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(base + "/signin");
  await hydrated(page);
  await page.fill("input[name=email]", who.email);
  await page.fill("input[name=password]", who.password);
  await page.click("main form button[type=submit]");
  await page.locator(".user-menu .user-name", { hasText: who.name }).waitFor();
}

/** What /api/me says for this browser context. */
export async function whoAmI(context: BrowserContext, base: string): Promise<{ user: { name: string; role: string } | null; blocked: boolean }> {
  const res = await context.request.get(base + "/api/me");
  return (await res.json()) as { user: { name: string; role: string } | null; blocked: boolean };
}

/** Sign in, or sign up first when the account does not exist yet (spec files run in any order). */
export async function signInOrUp(page: Page, base: string, who: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(base + "/signin");
  await hydrated(page);
  await page.fill("input[name=email]", who.email);
  await page.fill("input[name=password]", who.password);
  await page.click("main form button[type=submit]");
  const outcome = await Promise.race([
    page.locator(".user-menu .user-name", { hasText: who.name }).waitFor().then(() => "in" as const),
    page.locator(".form-error").waitFor().then(() => "error" as const),
  ]);
  if (outcome === "error") await signUpViaForm(page, base, who);
}

/** Create a write-scope API token on /profile for the signed-in user of `page`; the headers a JSON API call needs with it. */
export async function writeTokenHeaders(page: Page, base: string, label: string): Promise<Record<string, string>> {
  await page.goto(`${base}/profile`);
  await hydrated(page);
  await page.fill("input[placeholder='e.g. link checker']", label);
  await page.selectOption("select[name=scope]", "write");
  await page.locator("form", { has: page.locator("select[name=scope]") }).locator("button[type=submit]").click();
  const token = (await page.locator("[data-testid=new-token]").textContent()) ?? "";
  return { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
}
