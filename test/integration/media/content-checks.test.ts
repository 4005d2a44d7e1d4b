/**
 * The PDF check against PDFs a real tool writes: Chromium's print to PDF
 * (object streams, Flate, cross-reference streams with PNG predictors,
 * embedded font programs, pictures, links and an outline): none may be
 * refused (test/unit/media/content-checks.test.ts has the refusals).
 */
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPdf } from "@/lib/media/content-checks";
import { launchBrowser } from "../../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function printed(html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(html);
    return await page.pdf({ format: "A4", outline: true, tagged: true });
  } finally {
    await page.close();
  }
}

describe("PDFs written by Chromium", () => {
  it("are accepted: text in several fonts, headings, links, a table and a picture, over several pages", { timeout: 60_000 }, async () => {
    const picture = (await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 30, g: 120, b: 60 } } }).jpeg().toBuffer()).toString("base64");
    const sections = Array.from({ length: 30 }, (_, i) => `<h2>Section ${i + 1}</h2><p style="font-family:serif">Cuttings from the nursery, <em>round ${i}</em>, <a href="https://example.org/${i}">a link</a> and <a href="#s${i}">a jump</a>.</p><p id="s${i}" style="font-family:monospace">Water daily; 20 / 30 cm apart.</p>`).join("");
    const pdf = await printed(`<!doctype html><html><body><h1>Garden handout</h1><img src="data:image/jpeg;base64,${picture}" alt="A bed"><table><tr><th>Plant</th><th>When</th></tr><tr><td>Basil</td><td>May</td></tr></table>${sections}</body></html>`);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(checkPdf(pdf)).toEqual({ ok: true });
  });
});
