/**
 * Media against the production build: uploads through the API and the
 * editor (drag and drop, paste) in Chromium, every refusal the front and the
 * API answer, the stored file's answer (type, nosniff, Range, immutable
 * caching, the sandboxing CSP), and a hostile file opened directly runs no
 * script. The e2e wiki's upload limits are 1 MB (test/support/global-e2e.ts).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { vnuErrors } from "../support/vnu";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";
import { exifOf, jpegWithGps, mediaFixture, mp3, noisyJpeg, PDF, png, pngPolyglot, SVG, VTT, wav, ZIP } from "../support/media-files";
import { mediaHeaders } from "@/lib/media/serve";
import { contextFor } from "../support/site-routes";

const base = () => inject("baseUrl");
const databaseUrl = inject("e2eDatabaseUrl");
const editor = { name: "Media Editor", email: "media-editor@e2e.example", password: "copper kettle meadow 52" };

let browser: Browser;
let page: Page;
let auth: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signUpViaForm(page, base(), editor);
  await page.goto(`${base()}/profile`);
  await hydrated(page);
  await page.fill("input[placeholder='e.g. link checker']", "media");
  await page.selectOption("select[name=scope]", "write");
  await page.locator("form", { has: page.locator("select[name=scope]") }).locator("button[type=submit]").click();
  auth = { Authorization: `Bearer ${(await page.locator("[data-testid=new-token]").textContent()) ?? ""}` };
});
afterAll(async () => {
  await browser?.close();
});

type Uploaded = { title: string; url: string; revision: number; sha256: string; type: string };

async function upload(name: string, bytes: Uint8Array, extra: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)]), name);
  form.set("name", name);
  for (const [key, value] of Object.entries(extra)) form.set(key, value);
  return fetch(`${base()}/api/files`, { method: "POST", headers: auth, body: form });
}

async function uploaded(name: string, bytes: Uint8Array, extra: Record<string, string> = {}): Promise<Uploaded> {
  const res = await upload(name, bytes, extra);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Uploaded;
}

describe("POST /api/files", () => {
  it("answers 201 with the file page, its revision and the file's address; the file page shows it", async () => {
    const picture = await png(320, 200);
    const res = await upload("E2E garden.png", picture, { summary: "A test picture", licence: "CC0", source: "Made by the test" });
    expect(res.status, await res.clone().text()).toBe(201);
    // The upload route is left to its own edge (no proxy): its answer carries no page CSP.
    expect(res.headers.get("content-security-policy")).toBeNull();
    const body = (await res.json()) as Uploaded;
    expect(body).toMatchObject({ title: "File:E2E garden.png", type: "image/png" });
    expect(body.url).toBe(`${base()}/media/${body.sha256}/E2E_garden.png`);
    expect(body.revision).toBeGreaterThan(0);
    const view = await fetch(`${base()}/wiki/File:E2E_garden.png`);
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain(`/media/${body.sha256}/E2E_garden.png`);
    expect(html).toContain("320 × 200 pixels");
    expect(html).toContain("CC0");
    expect(html).toContain("Media Editor");
    const recent = await (await fetch(`${base()}/recent-changes`)).text();
    expect(recent).toContain("File:E2E garden.png");
    const feed = await (await fetch(`${base()}/feeds/recent-changes`)).text();
    expect(feed).toContain("File:E2E garden.png");
  });

  it.each([
    ["a ZIP archive", "Archive.zip", async () => ZIP, 415],
    ["a PNG named .jpg", "Liar.jpg", () => png(), 415],
    ["a polyglot PNG with HTML and script", "Poly.png", pngPolyglot, 415],
    ["an SVG", "Drawing.svg", async () => SVG, 415],
  ] as const)("refuses %s (%s)", async (_what, name, make, status) => {
    const res = await upload(name, await make());
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a body over the limit with 413 before reading it, and anonymous uploads with 401", async () => {
    const res = await upload("Too big.jpg", await noisyJpeg(1300, 1000));
    expect(res.status).toBe(413);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await png())]), "Anon.png");
    const anonymous = await fetch(`${base()}/api/files`, { method: "POST", headers: { Origin: base() }, body: form });
    expect(anonymous.status).toBe(401);
  });

  it("answers a sound's duration and a video's size and duration; the file page shows the duration", async () => {
    // Real files made with ffmpeg (test/fixtures/media/README.md).
    const sound = (await uploaded("Tone e2e.mp3", mediaFixture("tone.mp3"))) as Uploaded & { durationSeconds: number; width: number | null };
    expect(sound).toMatchObject({ type: "audio/mpeg", durationSeconds: 1.656, width: null });
    const clip = (await uploaded("Clip e2e.webm", mediaFixture("clip.webm"))) as Uploaded & { durationSeconds: number; width: number; height: number };
    expect(clip).toMatchObject({ type: "video/webm", durationSeconds: 2, width: 64, height: 48 });
    await page.goto(`${base()}/wiki/File:Tone_e2e.mp3`);
    const facts = page.getByRole("definition").filter({ has: page.locator("time") });
    expect(await facts.textContent()).toBe("0:02");
    expect(await facts.locator("time").getAttribute("datetime")).toBe("PT1.656S");
    await page.goto(`${base()}/wiki/File:Clip_e2e.webm`);
    await expect.poll(() => page.getByText("64 × 48 pixels").count()).toBe(1);
  });

  it("refuses a file past its type's limit with 413 while it streams (a WAV just over 1 MB, under the front's limit), keeping nothing", async () => {
    const res = await upload("Long e2e.wav", wav(Buffer.alloc(1_030_000, 0x80)));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/too large/);
    expect((await fetch(`${base()}/wiki/File:Long_e2e.wav`)).status).toBe(404);
  });

  it("a phone photo comes back without its GPS position (exiftool finds none)", async () => {
    const photo = await jpegWithGps();
    const result = await uploaded("Phone photo e2e.jpg", photo);
    const served = new Uint8Array(await (await fetch(result.url)).arrayBuffer());
    expect(createHash("sha256").update(served).digest("hex")).toBe(result.sha256);
    expect(Object.keys(exifOf(served)).filter((tag) => /GPS|Make|XMP/.test(tag))).toEqual([]);
  });
});

describe("GET /media/<sha256>/<name>", () => {
  it("serves the bytes immutably with an ETag, nosniff and a CSP under which nothing runs; 304 when unchanged", async () => {
    const { url, sha256 } = await uploaded("Cache check.png", await png(40, 30, { r: 1, g: 2, b: 3 }));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("etag")).toBe(`"${sha256}"`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    const again = await fetch(url, { headers: { "If-None-Match": `"${sha256}"` } });
    expect(again.status).toBe(304);
  });

  it("answers Range requests with 206 and the asked bytes, and an unsatisfiable one with 416", async () => {
    const bytes = VTT;
    const { url } = await uploaded("Range check.vtt", bytes);
    const head = await fetch(url, { headers: { Range: "bytes=0-5" } });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-5/${bytes.length}`);
    expect(await head.text()).toBe("WEBVTT");
    const tail = await fetch(url, { headers: { Range: "bytes=-10" } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 10));
    const past = await fetch(url, { headers: { Range: `bytes=${bytes.length + 10}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    expect(head.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
  });

  it("serves PDFs as attachments, and resized copies of pictures for srcset", async () => {
    const pdf = await uploaded("Handout e2e.pdf", PDF);
    expect((await fetch(pdf.url)).headers.get("content-disposition")).toMatch(/^attachment; filename="Handout_e2e.pdf"/);
    const wide = await uploaded("Wide e2e.jpg", await noisyJpeg(700, 350));
    const copy = await fetch(`${wide.url}?w=320`);
    expect(copy.status).toBe(200);
    expect(copy.headers.get("content-type")).toBe("image/webp");
    expect(copy.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${wide.url}?w=321`)).status).toBe(404);
  });

  it.skipIf(!databaseUrl)("a hostile file opened directly runs no script, even one stored as a picture", async () => {
    // As if a file had slipped past the checks: HTML with script, stored as "image/png".
    const hostile = Buffer.from(`<html><body><script>document.title="pwned"</script><img src=x onerror="document.title='pwned'"></body></html>`);
    const sha256 = createHash("sha256").update(hostile).digest("hex");
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await sql`insert into media_blobs (sha256, size, mime, chunk_bytes) values (${sha256}, ${hostile.length}, 'image/png', 524288) on conflict do nothing`;
      await sql`insert into media_chunks (sha256, seq, data) values (${sha256}, 0, ${hostile}) on conflict do nothing`;
    } finally {
      await sql.end({ timeout: 2 });
    }
    const vtt = await uploaded("Hostile check.vtt", Buffer.from("WEBVTT\n\n00:00.000 --> 00:01.000\nThe <b>garden</b> grows.\n"));
    const visitor = await (await browser.newContext()).newPage();
    const dialogs: string[] = [];
    visitor.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    for (const url of [`${base()}/media/${sha256}/hostile.png`, `${base()}/media/${sha256}/hostile.html`, vtt.url]) {
      await visitor.goto(url).catch(() => {});
      await visitor.waitForTimeout(300);
      expect(await visitor.evaluate(() => document.title)).not.toBe("pwned");
    }
    expect(dialogs).toEqual([]);
    await visitor.close();
  });
});

describe("uploading from the editor", () => {
  async function openEditor(title: string): Promise<void> {
    await page.goto(`${base()}/wiki/${title}/edit`);
    await hydrated(page);
  }

  /** Make a File in the page from bytes, in a DataTransfer as a drop or a paste carries it. */
  async function dataTransfer(bytes: Buffer, name: string, type: string) {
    return page.evaluateHandle(
      ({ data, name, type }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name, { type }));
        return transfer;
      },
      { data: [...bytes], name, type },
    );
  }

  it("dropping a picture on the drop zone uploads it and inserts a Figure", async () => {
    await openEditor("Media_drop_test");
    const transfer = await dataTransfer(await png(30, 20, { r: 9, g: 99, b: 199 }), "Dropped e2e.png", "image/png");
    await page.locator(".upload-drop").dispatchEvent("dragover", { dataTransfer: transfer });
    await page.locator(".upload-drop").dispatchEvent("drop", { dataTransfer: transfer });
    await page.getByRole("status").filter({ hasText: "Uploaded File:Dropped e2e.png" }).waitFor();
    expect(await page.locator("textarea.source").inputValue()).toContain('<Figure src="File:Dropped e2e.png" alt="Describe the picture" caption="" />');
  });

  it("pasting a picture into the source uploads it under a new name and inserts a Figure", async () => {
    await openEditor("Media_paste_test");
    const transfer = await dataTransfer(await png(25, 25, { r: 200, g: 10, b: 10 }), "image.png", "image/png");
    await page.locator("textarea.source").evaluate((element, clipboardData) => {
      element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboardData as DataTransfer, bubbles: true, cancelable: true }));
    }, transfer);
    await page.getByRole("status").filter({ hasText: /Uploaded File:Pasted / }).waitFor();
    expect(await page.locator("textarea.source").inputValue()).toMatch(/<Figure src="File:Pasted [^"]+\.png" alt="Describe the picture" caption="" \/>/);
  });

  it("a saved Figure shows the uploaded picture with srcset, width and height, lazily", async () => {
    const wide = await uploaded("Figure e2e.jpg", await noisyJpeg(800, 400));
    const source = `---\ntitle: Media figure test\nkind: concept\nsummary: A page with a figure.\n---\n\n<Figure src="File:Figure e2e.jpg" alt="Noise for a test" caption="A caption." />\n`;
    const saved = await fetch(`${base()}/api/pages/Media_figure_test/revisions`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ content: source, summary: "figure", baseRevisionId: null }),
    });
    expect(saved.status).toBe(201);
    await page.goto(`${base()}/wiki/Media_figure_test`);
    const image = page.getByRole("img", { name: "Noise for a test" });
    await image.waitFor();
    expect(await image.getAttribute("src")).toBe(`/media/${wide.sha256}/Figure_e2e.jpg`);
    expect(await image.getAttribute("srcset")).toContain(`/media/${wide.sha256}/Figure_e2e.jpg?w=320 320w`);
    expect(await image.getAttribute("width")).toBe("800");
    expect(await image.getAttribute("height")).toBe("400");
    expect(await image.getAttribute("loading")).toBe("lazy");
    // The file page lists the page that uses it.
    const filePage = await (await fetch(`${base()}/wiki/File:Figure_e2e.jpg`)).text();
    expect(filePage).toContain("Media figure test");
  });

  it("a saved Video carries the file's width and height, so the player keeps its place before the file loads", async () => {
    const clip = await uploaded("Video e2e.mp4", mediaFixture("clip-moov-at-end.mp4"));
    const source = `---\ntitle: Media video test\nkind: concept\nsummary: A page with a video.\n---\n\n<Video src="File:Video e2e.mp4" caption="A test pattern." title="A test clip" />\n`;
    const saved = await fetch(`${base()}/api/pages/Media_video_test/revisions`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ content: source, summary: "video", baseRevisionId: null }),
    });
    expect(saved.status).toBe(201);
    await page.goto(`${base()}/wiki/Media_video_test`);
    const video = page.getByTitle("A test clip");
    await video.waitFor();
    expect(await video.getAttribute("src")).toBe(`/media/${clip.sha256}/Video_e2e.mp4`);
    expect([await video.getAttribute("width"), await video.getAttribute("height")]).toEqual(["64", "48"]);
  });

  it("an Embed is a button until the reader clicks it: no frame and no request to the provider before, its no-cookie player after", async () => {
    const source = `---\ntitle: Media embed test\nkind: concept\nsummary: A page with an embed.\n---\n\n<Embed provider="youtube" id="dQw4w9WgXcQ" title="A talk" />\n`;
    const saved = await fetch(`${base()}/api/pages/Media_embed_test/revisions`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ content: source, summary: "embed", baseRevisionId: null }),
    });
    expect(saved.status).toBe(201);
    const reader = await (await browser.newContext()).newPage();
    const providerRequests: string[] = [];
    reader.on("request", (request) => {
      if (!request.url().startsWith(base())) providerRequests.push(request.url());
    });
    await reader.goto(`${base()}/wiki/Media_embed_test`);
    await hydrated(reader);
    const play = reader.getByRole("button", { name: "Play “A talk” from YouTube" });
    await play.waitFor();
    expect(await reader.locator("iframe").count()).toBe(0);
    expect(providerRequests).toEqual([]);
    await play.click();
    const frame = reader.locator('iframe[title="A talk"]');
    await frame.waitFor({ state: "attached" });
    expect(await frame.getAttribute("src")).toBe("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    await reader.context().close();
  });

  it("the file pages (a picture's, a sound's with its duration, a video's) and the pages with a figure and a video are valid HTML (Nu checker)", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "propagate-media-vnu-"));
    try {
      const files: string[] = [];
      for (const [i, url] of ["/wiki/File:Figure_e2e.jpg", "/wiki/Media_figure_test", "/wiki/File:E2E_garden.png", "/wiki/File:Tone_e2e.mp3", "/wiki/File:Clip_e2e.webm", "/wiki/Media_video_test"].entries()) {
        const file = path.join(dir, `${i}.html`);
        writeFileSync(file, await (await fetch(base() + url)).text());
        files.push(file);
      }
      expect((await vnuErrors(files)).map((m) => `${m.url} line ${m.lastLine}: ${m.message}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("moderators hide a file revision from its history", () => {
  it("a moderator hides it with a confirmed button: its address is not served at once, though it was cached, but moderators still see it; a guest sees no button; shown again, it is served", { timeout: 120_000 }, async () => {
    const file = await uploaded("Hide me e2e.png", await png(33, 22, { r: 3, g: 30, b: 120 }));
    const other = `${base()}/media/${file.sha256}/Another_name.png`;
    // Served, and kept by the front's media cache (and the application's) under its bytes.
    for (const url of [file.url, file.url, other]) expect((await fetch(url)).status).toBe(200);

    const guest = await (await browser.newContext()).newPage();
    await guest.goto(`${base()}/wiki/File:Hide_me_e2e.png/history`);
    await hydrated(guest);
    expect(await guest.getByRole("button", { name: /Hide the file/ }).count()).toBe(0);

    const moderator = await contextFor(browser, base(), "admin");
    const history = await moderator.newPage();
    await history.goto(`${base()}/wiki/File:Hide_me_e2e.png/history`);
    await hydrated(history);
    const confirmations: string[] = [];
    history.on("dialog", (dialog) => {
      confirmations.push(dialog.message());
      void dialog.accept();
    });
    await history.getByRole("button", { name: "Hide the file of revision 1" }).click();
    await history.getByText("file hidden by a moderator").waitFor();
    expect(confirmations).toEqual([expect.stringMatching(/^Hide this file\?/)]);
    // At once, under any name, from the front's cache or not.
    for (const url of [file.url, other, `${base()}/media/${file.sha256}/Third.png`]) expect((await fetch(url)).status, url).toBe(404);
    // Moderators still see it (never cached), from a link on the marked revision.
    const seen = await moderator.request.get(file.url);
    expect(seen.status()).toBe(200);
    expect(seen.headers()["cache-control"]).toBe("private, no-store");
    expect(await history.getByRole("link", { name: "see the hidden file" }).getAttribute("href")).toBe(`/media/${file.sha256}/Hide_me_e2e.png`);
    expect((await fetch(file.url)).status).toBe(404);
    // The revision stays in the history, marked, with a button to show it again; the guest sees the mark only.
    await guest.reload();
    await guest.getByText("file hidden by a moderator").waitFor();
    expect(await guest.getByRole("button", { name: /Show the file/ }).count()).toBe(0);
    expect(await guest.getByRole("link", { name: "see the hidden file" }).count()).toBe(0);

    await history.getByRole("button", { name: "Show the file of revision 1 again" }).click();
    await history.getByRole("button", { name: "Hide the file of revision 1" }).waitFor();
    expect((await fetch(file.url)).status).toBe(200);
    await moderator.close();
    await guest.context().close();
  });
});

describe("the front's media cache keys files by their bytes", () => {
  it("the same file under many names is answered with each name's own download name, as the application names it", async () => {
    const file = await uploaded("Many names e2e.png", await png(21, 12, { r: 9, g: 9, b: 90 }));
    const names = ["First.png", "Second%20one.png", "Na%C3%AFve.png", "evil.html"];
    for (const name of names) {
      const answer = await fetch(`${base()}/media/${file.sha256}/${name}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-disposition"), name).toBe(mediaHeaders({ mime: "image/png", etag: "", name: decodeURIComponent(name) })["Content-Disposition"]);
      expect(answer.headers.get("etag")).toBe(`"${file.sha256}"`);
    }
  });
});

describe("podcast enclosures", () => {
  it("are a button until the reader clicks it: no audio element and no request to the host before, an <audio controls> from the host after", { timeout: 60_000 }, async () => {
    const enclosure = "https://traffic.libsyn.com/propagate-e2e/episode-50.mp3";
    const source = `---\ntitle: Media podcast test\nkind: concept\nsummary: A page with a podcast episode.\n---\n\n<Embed provider="podcast" id="${enclosure}" title="Episode 50" />\n`;
    const saved = await fetch(`${base()}/api/pages/Media_podcast_test/revisions`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ content: source, summary: "podcast", baseRevisionId: null }),
    });
    expect(saved.status, await saved.clone().text()).toBe(201);
    const reader = await (await browser.newContext()).newPage();
    const hostRequests: string[] = [];
    const violations: string[] = [];
    const audio = mp3(1);
    await reader.route("https://traffic.libsyn.com/**", async (route) => {
      hostRequests.push(route.request().url());
      await route.fulfill({ status: 200, contentType: "audio/mpeg", body: audio });
    });
    reader.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const page = await reader.goto(`${base()}/wiki/Media_podcast_test`);
    expect(page?.headers()["content-security-policy"]).toContain("media-src 'self' https://traffic.libsyn.com https://media.transistor.fm");
    await hydrated(reader);
    const listen = reader.getByRole("button", { name: "Listen to “Episode 50” from traffic.libsyn.com" });
    await listen.waitFor();
    expect(await reader.locator("audio").count()).toBe(0);
    expect(hostRequests).toEqual([]);
    const requested = reader.waitForRequest((request) => request.url().startsWith("https://traffic.libsyn.com/"));
    await listen.click();
    const player = reader.locator('audio[title="Episode 50"]');
    await player.waitFor({ state: "attached" });
    expect(await player.getAttribute("src")).toBe(enclosure);
    expect(await player.getAttribute("controls")).not.toBeNull();
    await requested;
    expect(hostRequests[0]).toBe(enclosure);
    expect(violations).toEqual([]);
    await reader.context().close();
  });

  it("an enclosure on a host that is not listed is refused when the page is saved", async () => {
    const source = `---\ntitle: Media podcast refused\nkind: concept\nsummary: A page.\n---\n\n<Embed provider="podcast" id="https://evil.example/episode.mp3" title="Episode" />\n`;
    const saved = await fetch(`${base()}/api/pages/Media_podcast_refused/revisions`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ content: source, summary: "podcast", baseRevisionId: null }),
    });
    expect(saved.status).toBe(422);
    expect(await saved.text()).toContain("podcast hosts this wiki allows");
  });
});

