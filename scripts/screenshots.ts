/**
 * `npx tsx scripts/screenshots.ts [baseUrl]`: refresh the README's screenshots
 * from a running wiki (default http://127.0.0.1:3000), desktop and phone width.
 */
import { launchBrowser } from "../test/support/browser";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const shots = [
  { path: "/", file: "home.png", width: 1280, height: 900 },
  { path: "/wiki/Adoption", file: "difference.png", width: 1280, height: 1100 },
  { path: "/", file: "home-phone.png", width: 390, height: 844 },
  { path: "/wiki/Adoption", file: "difference-phone.png", width: 390, height: 844 },
];

const browser = await launchBrowser();
for (const shot of shots) {
  for (const scheme of ["light", "dark"] as const) {
    const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height }, colorScheme: scheme });
    await page.goto(base + shot.path, { waitUntil: "load" });
    await page.waitForTimeout(300);
    const file = scheme === "light" ? shot.file : shot.file.replace(".png", "-dark.png");
    await page.screenshot({ path: `docs/screenshots/${file}` });
    await page.close();
  }
}
await browser.close();
console.log("screenshots written to docs/screenshots/");
