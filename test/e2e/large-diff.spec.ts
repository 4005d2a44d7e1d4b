import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

// A large diff in the browser: unchanged context collapsed, a bounded page of
// hunks, and links to the rest.
let browser: Browser;
let editorPage: Page;
const base = () => inject("baseUrl");
const editor = { name: "Lena Largediff", email: "lena@e2e.example", password: "quartz meadow lantern 58" };
const source = (lines: string[]) => `---\ntitle: "Large diff"\nkind: concept\nsummary: A long page.\ntags: []\n---\n\n${lines.join("\n")}\n`;

let from = 0;
let to = 0;

beforeAll(async () => {
  browser = await launchBrowser();
  editorPage = await (await browser.newContext()).newPage();
  await signUpViaForm(editorPage, base(), editor);
  await editorPage.goto(`${base()}/profile`);
  await hydrated(editorPage);
  await editorPage.fill("input[placeholder='e.g. link checker']", "large diff");
  await editorPage.selectOption("select[name=scope]", "write");
  await editorPage.locator("form", { has: editorPage.locator("select[name=scope]") }).locator("button[type=submit]").click();
  const token = (await editorPage.locator("[data-testid=new-token]").textContent()) ?? "";
  const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  // 9,000 lines (about 160 KB); the edit changes every 20th line: hundreds of separate changes.
  const lines = Array.from({ length: 9000 }, (_, i) => `line ${i} of a long page`);
  const first = await fetch(`${base()}/api/pages/Large_diff/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: source(lines), summary: "long", baseRevisionId: null }) });
  expect(first.status).toBe(201);
  from = ((await first.json()) as { revision: { id: number } }).revision.id;
  const edited = lines.map((l, i) => (i % 20 === 10 ? `${l}, edited` : l));
  const second = await fetch(`${base()}/api/pages/Large_diff/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: source(edited), summary: "many edits", baseRevisionId: from }) });
  expect(second.status).toBe(201);
  to = ((await second.json()) as { revision: { id: number } }).revision.id;
});
afterAll(async () => {
  await browser?.close();
});

describe("a large diff", () => {
  it("shows collapsed context and a bounded page of changes, and the link leads to the next changes", async () => {
    const url = `${base()}/wiki/Large_diff/diff?from=${from}&to=${to}`;
    const html = await (await fetch(url)).text();
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);

    const reader = await (await browser.newContext()).newPage();
    await reader.goto(url);
    await hydrated(reader);
    await expect(reader.getByRole("separator").first().textContent()).resolves.toMatch(/^\d+ unchanged lines$/);
    await expect(reader.getByRole("region", { name: "Change 1", exact: true }).isVisible()).resolves.toBe(true);
    const shown = await reader.getByRole("region", { name: /^Change \d+/ }).count();
    expect(shown).toBeGreaterThan(1);
    expect(shown).toBeLessThan(450);

    await reader.getByRole("navigation", { name: "Pages of changes" }).getByRole("link", { name: "next changes →" }).click();
    await expect.poll(() => reader.url(), { timeout: 30_000 }).toMatch(/[?&]page=2(&|$)/);
    await reader.getByRole("region", { name: `Change ${shown + 1}`, exact: true }).waitFor();
    await expect(reader.getByRole("region", { name: "Change 1", exact: true }).count()).resolves.toBe(0);
    await expect(reader.getByRole("link", { name: "← previous changes" }).first().isVisible()).resolves.toBe(true);
  });

  it("the JSON API pages the same way", async () => {
    const first = (await (await fetch(`${base()}/api/pages/Large_diff/diff?from=${from}&to=${to}`)).json()) as { page: number; pageCount: number; hunks: unknown[]; links: { next: string | null } };
    expect(first.page).toBe(1);
    expect(first.pageCount).toBeGreaterThan(1);
    expect(first.links.next).toMatch(/page=2$/);
    const second = (await (await fetch(`${base()}${first.links.next}`)).json()) as { page: number; hunks: Array<{ number: number }> };
    expect(second.page).toBe(2);
    expect(second.hunks[0]!.number).toBeGreaterThan(1);
  });
});
