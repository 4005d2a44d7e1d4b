import type { BrowserContext, Page } from "playwright-core";

/** Wait until React has hydrated the page (the user menu fills itself in only then). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator(".user-menu:not([aria-busy])").waitFor();
}

/** Sign up through the form and wait until the header shows the new user. */
export async function signUpViaForm(page: Page, base: string, who: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(base + "/signup");
  await hydrated(page);
  await page.fill("input[name=name]", who.name);
  await page.fill("input[name=email]", who.email);
  await page.fill("input[name=password]", who.password);
  await page.click("main form button[type=submit]");
  await page.locator(".user-menu .user-name", { hasText: who.name }).waitFor();
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
