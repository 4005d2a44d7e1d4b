/**
 * `npx tsx scripts/screenshots.ts [baseUrl] [outDir]`: refresh the README's
 * and docs' screenshots from a running wiki (default http://127.0.0.1:3000),
 * at desktop and phone widths, in light and dark, signed out and signed in
 * (as "Screenshot Editor", signed up on that wiki the first time).
 */
import type { Browser, BrowserContext } from "playwright-core";
import { launchBrowser } from "../test/support/browser";
import { hydrated, signInOrUp } from "../test/support/e2e-accounts";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const outDir = process.argv[3] ?? "docs/screenshots";
const member = { name: "Screenshot Editor", email: "screenshots@propagate.example", password: "amber teapot horizon 59" };

type Shot = { path: string; file: string; width: number; height: number; signedIn?: boolean; dark?: boolean; open?: string };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const shots: Shot[] = [
  { path: "/", file: "home.png", ...DESKTOP },
  { path: "/", file: "home-dark.png", ...DESKTOP, dark: true },
  { path: "/wiki/Adoption", file: "difference.png", ...DESKTOP, height: 1100 },
  { path: "/wiki/Adoption", file: "difference-dark.png", ...DESKTOP, height: 1100, dark: true },
  { path: "/", file: "home-phone.png", ...PHONE },
  { path: "/", file: "home-phone-dark.png", ...PHONE, dark: true },
  { path: "/wiki/Adoption", file: "difference-phone.png", ...PHONE },
  { path: "/wiki/Adoption", file: "difference-phone-dark.png", ...PHONE, dark: true },
  { path: "/wiki/Nursery_and_garden/talk", file: "talk.png", ...DESKTOP, height: 1000 },
  { path: "/wiki/Adoption", file: "signed-in-menu.png", ...DESKTOP, signedIn: true, open: ".more-menu > summary" },
  { path: "/wiki/Adoption", file: "signed-in-phone.png", ...PHONE, signedIn: true },
  { path: "/wiki/Adoption/edit", file: "editor.png", ...DESKTOP, height: 1100, signedIn: true },
  { path: "/create", file: "create.png", ...DESKTOP, height: 600, signedIn: true, open: "type:Ado" },
];

async function signedInContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInOrUp(page, base, member);
  await page.close();
  return context;
}

const browser = await launchBrowser();
const member$ = signedInContext(browser);
for (const shot of shots) {
  const storage = shot.signedIn ? await (await member$).storageState() : undefined;
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    colorScheme: shot.dark ? "dark" : "light",
    isMobile: shot.width < 600,
    ...(storage ? { storageState: storage } : {}),
  });
  const page = await context.newPage();
  await page.goto(base + shot.path, { waitUntil: "load" });
  await hydrated(page);
  if (shot.open?.startsWith("type:")) {
    await page.locator("#create-title").pressSequentially(shot.open.slice(5));
    await page.getByRole("option").first().waitFor();
  } else if (shot.open) {
    await page.locator(shot.open).click();
  }
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${outDir}/${shot.file}` });
  await context.close();
}
await browser.close();
console.log(`screenshots written to ${outDir}/`);
