import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signInViaForm, signUpViaForm, whoAmI } from "../support/e2e-accounts";
import { mailLink, waitForMail } from "../support/mail-box";

let browser: Browser;
const base = () => inject("baseUrl");
const admin = { name: "Ada Admin", email: "admin@e2e.example", password: "correct horse battery 7" };
const mallory = { name: "Mallory", email: "mallory@e2e.example", password: "purple monkey dishwasher" };

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("accounts in the browser", () => {
  it("resets a forgotten password with the mailed link: the old password and every session stop working, the link works once", async () => {
    const who = { name: "Rita Reset", email: "rita@e2e.example", password: "lantern orchard kettle 31" };
    const first = await browser.newContext();
    const page = await first.newPage();
    await signUpViaForm(page, base(), who, false);
    const other = await browser.newContext();
    const page2 = await other.newPage();
    await page2.goto(base() + "/signin");
    await hydrated(page2);
    await page2.getByRole("link", { name: "Forgot password?" }).click();
    await page2.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await hydrated(page2);
    await page2.getByRole("textbox", { name: "Email" }).fill(who.email);
    await page2.getByRole("button", { name: "Send me a reset link" }).click();
    await page2.getByRole("status").filter({ hasText: "If an account uses this address" }).waitFor();
    const mail = await waitForMail(inject("mailDir"), who.email, /^Reset your Propagate password/);
    const link = mailLink(mail, "/reset-password?token=");
    await page2.goto(link);
    await hydrated(page2);
    await page2.getByLabel("New password").fill("copper meadow violin 58");
    await page2.getByRole("button", { name: "Set new password" }).click();
    await page2.getByRole("status").filter({ hasText: "Your password was changed" }).waitFor();
    // The session signed in before the reset has ended.
    expect((await whoAmI(first, base())).user).toBeNull();
    await page2.goto(link);
    await page2.getByRole("alert").filter({ hasText: "This reset link has expired or was already used" }).waitFor();
    await signInViaForm(page2, base(), { ...who, password: "copper meadow violin 58" });
    await first.close();
    await other.close();
  });

  it("signs up, signs out and signs in again", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUpViaForm(page, base(), admin);
    expect((await whoAmI(context, base())).user).toMatchObject({ name: admin.name, role: "admin" });
    await page.locator(".user-menu summary").click();
    await page.locator(".user-menu button", { hasText: "Sign out" }).click();
    await page.locator(".user-menu a", { hasText: "Sign in" }).waitFor();
    expect((await whoAmI(context, base())).user).toBeNull();
    await signInViaForm(page, base(), admin);
    await page.locator(".user-menu summary").click();
    await expect(page.locator(".user-menu").getByRole("link", { name: "Admin", exact: true }).count()).resolves.toBe(1);
    await context.close();
  });

  it("a wrong password and an unknown email get the same message", async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    for (const email of [admin.email, "nobody@e2e.example"]) {
      await page.goto(base() + "/signin");
      await hydrated(page);
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", "definitely wrong pw");
      await page.click("main form button[type=submit]");
      messages.push((await page.locator(".form-error").textContent()) ?? "");
    }
    expect(messages).toEqual(["Email or password is wrong.", "Email or password is wrong."]);
    await page.close();
  });

  it("sign-up answers a known email exactly as a new one, and nothing signs in (no enumeration)", async () => {
    const answers: string[] = [];
    for (const email of [admin.email, "fresh-enumeration@e2e.example"]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(base() + "/signup");
      await hydrated(page);
      await page.getByRole("textbox", { name: "Display name" }).fill(email === admin.email ? "Someone Else" : "Fresh Person");
      await page.getByRole("textbox", { name: "Email" }).fill(email);
      await page.getByLabel("Password").fill("another fine password");
      await page.getByRole("button", { name: "Create account" }).click();
      answers.push(((await page.getByRole("status").first().textContent()) ?? "").split(".")[0]!);
      if (email === admin.email) {
        await page.getByText("nothing was changed").waitFor();
        expect((await whoAmI(context, base())).user).toBeNull();
      } else {
        await page.locator(".user-menu .user-name", { hasText: "Fresh Person" }).waitFor();
      }
      await context.close();
    }
    expect(answers).toEqual(["Check your email to finish", "Check your email to finish"]);
  });

  it("signing out ends the session on the server: a copied cookie stops working at once", async () => {
    const who = { name: "Cora Cookie", email: "cora@e2e.example", password: "velvet lantern orbit 31" };
    const mine = await browser.newContext();
    const minePage = await mine.newPage();
    await signUpViaForm(minePage, base(), who);
    // The attacker copies the session cookie into a browser of their own.
    const thief = await browser.newContext();
    await thief.addCookies((await mine.cookies()).filter((c) => c.name.includes("session-token")));
    expect((await whoAmI(thief, base())).user?.name).toBe(who.name);
    await minePage.locator(".user-menu summary").click();
    await minePage.locator(".user-menu").getByRole("button", { name: "Sign out" }).click();
    await minePage.locator(".user-menu").getByRole("link", { name: "Sign in" }).waitFor();
    expect((await whoAmI(thief, base())).user).toBeNull();
    await mine.close();
    await thief.close();
  });

  it("the profile lists sessions, marks this one, and signs out another or everywhere", async () => {
    const who = { name: "Sam Sessions", email: "sam@e2e.example", password: "harbour pebble quartz 58" };
    const laptop = await browser.newContext({ userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0" });
    const laptopPage = await laptop.newPage();
    await signUpViaForm(laptopPage, base(), who);
    const phone = await browser.newContext({ userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1" });
    await signInViaForm(await phone.newPage(), base(), who);

    await laptopPage.goto(base() + "/profile");
    await hydrated(laptopPage);
    const list = laptopPage.getByRole("list", { name: "Signed-in sessions" });
    await expect(list.getByRole("listitem").count()).resolves.toBe(2);
    await expect(list.getByRole("listitem").filter({ hasText: "(this device)" }).textContent()).resolves.toContain("Firefox on Linux");
    await list.getByRole("button", { name: "Sign out Safari on iOS" }).click();
    await laptopPage.getByText("That session has ended.").waitFor();
    expect((await whoAmI(phone, base())).user).toBeNull();
    expect((await whoAmI(laptop, base())).user?.name).toBe(who.name);

    await signInViaForm(await phone.newPage(), base(), who);
    await laptopPage.goto(base() + "/profile");
    await hydrated(laptopPage);
    await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
    await laptopPage.getByRole("link", { name: "Sign in again" }).waitFor();
    expect((await whoAmI(phone, base())).user).toBeNull();
    expect((await whoAmI(laptop, base())).user).toBeNull();
    await laptop.close();
    await phone.close();
  });

  it("an admin blocks a user, whose next action is refused", async () => {
    const malloryContext = await browser.newContext();
    const malloryPage = await malloryContext.newPage();
    await signUpViaForm(malloryPage, base(), mallory);
    await malloryPage.goto(base() + "/wiki/Adoption");
    await hydrated(malloryPage);
    await malloryPage.locator(".rate-form button", { hasText: "4" }).click();
    await expect(malloryPage.locator(".rate-form [role=status]").textContent()).resolves.toBe("You rated this page 4 out of 5.");

    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signInViaForm(adminPage, base(), admin);
    await adminPage.goto(base() + "/admin/users");
    await hydrated(adminPage);
    const row = adminPage.locator(`tr[data-user="${mallory.name}"]`);
    await row.locator("button", { hasText: "Block" }).click();
    await row.locator(".badge", { hasText: "blocked" }).waitFor();

    await malloryPage.locator(".rate-form button", { hasText: "2" }).click();
    await expect(malloryPage.locator(".rate-form [role=alert]").textContent()).resolves.toBe("Your account is blocked.");
    expect(await whoAmI(malloryContext, base())).toMatchObject({ user: null, blocked: true });
    await malloryContext.close();
    await adminContext.close();
  });

  it("changing the password ends every session signed in with the old one", async () => {
    const who = { name: "Pat Password", email: "pat@e2e.example", password: "saffron kettle drum 42" };
    const first = await browser.newContext();
    const firstPage = await first.newPage();
    await signUpViaForm(firstPage, base(), who);
    const second = await browser.newContext();
    await signInViaForm(await second.newPage(), base(), who);
    expect((await whoAmI(second, base())).user?.name).toBe(who.name);

    await firstPage.goto(base() + "/profile");
    await hydrated(firstPage);
    const form = firstPage.locator("form", { has: firstPage.locator("input[name=newPassword]") });
    await form.locator("input[name=currentPassword]").fill(who.password);
    await form.locator("input[name=newPassword]").fill("a brand new password 9");
    await form.locator("button[type=submit]").click();
    await form.locator("a", { hasText: "Sign in again" }).waitFor();
    expect((await whoAmI(first, base())).user).toBeNull();
    expect((await whoAmI(second, base())).user).toBeNull();
    await signInViaForm(firstPage, base(), { ...who, password: "a brand new password 9" });
    expect((await whoAmI(first, base())).user?.name).toBe(who.name);
    await first.close();
    await second.close();
  });

  it("a tampered session cookie is treated as signed out", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInViaForm(page, base(), admin);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name.includes("session-token"))!;
    await context.addCookies([{ ...session, value: session.value.slice(0, -6) + "AAAAAA" }]);
    expect((await whoAmI(context, base())).user).toBeNull();
    await context.close();
  });

  it("refuses state-changing requests from another site, with Origin null, or without an Origin", async () => {
    for (const origin of ["https://evil.example", "null", undefined]) {
      const res = await fetch(base() + "/wiki/Adoption", {
        method: "POST",
        headers: { "Content-Type": "text/plain;charset=UTF-8", "Next-Action": "0".repeat(40), ...(origin ? { Origin: origin } : {}) },
        body: "[]",
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden:origin");
    }
  });

  it("signs in with an OpenID Connect provider configured by environment variables", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base() + "/signin");
    await hydrated(page);
    await page.locator("button", { hasText: "Sign in with Test SSO" }).click();
    await page.locator(".user-menu .user-name", { hasText: "Olive Oidc" }).waitFor();
    expect((await whoAmI(context, base())).user).toMatchObject({ name: "Olive Oidc", role: "editor" });
    await context.close();
  });

  it("next-auth refuses a credentials sign-in without its CSRF token", async () => {
    const res = await fetch(base() + "/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base() },
      body: new URLSearchParams({ email: admin.email, password: admin.password }).toString(),
      redirect: "manual",
    });
    expect(res.headers.get("set-cookie") ?? "").not.toMatch(/session-token=/);
    expect(res.headers.get("location") ?? "").toMatch(/csrf=true|error/);
  });
});
