import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { seed } from "@/lib/seed";
import { listMentions } from "@/lib/talk/talk-store";
import { moderateMention } from "@/lib/talk/moderation";
import { isPublicAddress, receiveWebmention } from "@/lib/talk/webmention";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";

const SITE = "https://propagate.example";
let server: Server;
let base = "";
const pagesServed: Record<string, string> = {
  "/links": `<html><head><title>Gardens &amp; nurseries</title></head><body><p>Howard's metaphor is discussed well at <a href="${SITE}/wiki/Nursery_and_garden">this wiki page about nurseries</a>, worth reading.</p></body></html>`,
  "/nolink": "<html><head><title>Unrelated</title></head><body>No links here.</body></html>",
  "/spam": `<html><head><title>Cheap soma without rx</title></head><body>Buy soma, ativan, xanax now: <a href="${SITE}/wiki/Adoption">x</a> http://pills.example http://pills.example/2</body></html>`,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/redirect") return void res.writeHead(302, { Location: "/links" }).end();
    if (req.url === "/loop") return void res.writeHead(302, { Location: "/loop" }).end();
    if (req.url === "/slow") {
      // Headers at once, then a body that never finishes within the fetch budget.
      res.writeHead(200, { "Content-Type": "text/html" });
      res.write("<html><body>");
      const timer = setInterval(() => res.write(" "), 500);
      res.on("close", () => clearInterval(timer));
      return;
    }
    const body = pagesServed[req.url ?? ""];
    res.writeHead(body ? 200 : 404, { "Content-Type": "text/html" });
    res.end(body ?? "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  await resetDatabase();
  await seed(testDb());
  process.env.WEBMENTION_VERIFY = "on";
  process.env.WEBMENTION_ALLOW_PRIVATE = "on";
  resetEnv();
});
afterEach(() => {
  delete process.env.WEBMENTION_VERIFY;
  delete process.env.WEBMENTION_ALLOW_PRIVATE;
  resetEnv();
});

describe("Webmention", () => {
  it("verifies that the source links to the target and shows it as 'Mentioned by' with an excerpt", async () => {
    const db = testDb();
    const result = await receiveWebmention(db, { source: `${base}/links`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(result.status).toBe("visible");
    const page = await getPageBySlug(db, "Nursery_and_garden");
    const shown = await listMentions(db, page!.id);
    expect(shown.map((m) => m.sourceTitle)).toEqual(["Gardens & nurseries"]);
    expect(shown[0]?.excerpt).toContain("this wiki page about nurseries");
    await receiveWebmention(db, { source: `${base}/links`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(await listMentions(db, page!.id)).toHaveLength(1);
  });

  it.each([
    [`/nolink`, `${SITE}/wiki/Adoption`, /does not link to the target/],
    [`/links`, `https://elsewhere.example/wiki/Adoption`, /not a page of this wiki/],
    [`/links`, `${SITE}/wiki/No_such_page`, /not a page of this wiki/],
    [`/missing`, `${SITE}/wiki/Adoption`, /could not be fetched/],
  ])("refuses source %s for %s with a reason, storing nothing", async (path, target, reason) => {
    await expect(receiveWebmention(testDb(), { source: base + path, target, siteOrigin: SITE })).rejects.toThrow(reason);
  });

  it("refuses non-http URLs and private addresses unless allowed", async () => {
    await expect(receiveWebmention(testDb(), { source: "javascript:alert(1)", target: `${SITE}/wiki/Adoption`, siteOrigin: SITE })).rejects.toThrow(/http or https/);
    process.env.WEBMENTION_ALLOW_PRIVATE = "off";
    resetEnv();
    await expect(receiveWebmention(testDb(), { source: `${base}/links`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE })).rejects.toThrow(/public address/);
  });

  it("refuses private addresses however they are written: by name, as IPv4-mapped IPv6, after resolving", async () => {
    process.env.WEBMENTION_ALLOW_PRIVATE = "off";
    resetEnv();
    const port = new URL(base).port;
    for (const source of [`http://localhost:${port}/links`, `http://[::ffff:127.0.0.1]:${port}/links`, `http://[::1]:${port}/links`, `http://0.0.0.0:${port}/links`]) {
      await expect(receiveWebmention(testDb(), { source, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE }), source).rejects.toThrow(/public address/);
    }
  });

  it("follows a few redirects by hand, and gives up on a loop with a reason", async () => {
    const ok = await receiveWebmention(testDb(), { source: `${base}/redirect`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(ok.status).toBe("visible");
    await expect(receiveWebmention(testDb(), { source: `${base}/loop`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE })).rejects.toThrow(/redirects too many times/);
  });

  it("answers a source that never finishes with a reason, not a server error", async () => {
    await expect(receiveWebmention(testDb(), { source: `${base}/slow`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE })).rejects.toMatchObject({
      code: "invalid:input",
      message: expect.stringMatching(/could not be fetched/),
    });
  });

  it("a resent mention never undoes a moderator's decision", async () => {
    const db = testDb();
    const first = await receiveWebmention(db, { source: `${base}/links`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    const mod = await buildUser(db, { role: "moderator" });
    await moderateMention(db, { id: mod.id, name: mod.name, role: "moderator", blocked: false }, first.mention.id, "hide");
    const again = await receiveWebmention(db, { source: `${base}/links`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(again.status).toBe("hidden");
    const page = await getPageBySlug(db, "Nursery_and_garden");
    expect(await listMentions(db, page!.id)).toHaveLength(0);
    // Without verification, a resend of a shown mention changes nothing either (no wiping its title).
    const shown = await receiveWebmention(db, { source: `${base}/redirect`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(shown.status).toBe("visible");
    process.env.WEBMENTION_VERIFY = "off";
    resetEnv();
    const unverified = await receiveWebmention(db, { source: `${base}/redirect`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(unverified.status).toBe("visible");
    expect((await listMentions(db, page!.id)).map((m) => m.sourceTitle)).toEqual(["Gardens & nurseries"]);
  });

  it("puts mentions through the spam checks", async () => {
    const result = await receiveWebmention(testDb(), { source: `${base}/spam`, target: `${SITE}/wiki/Adoption`, siteOrigin: SITE });
    expect(result.status).toBe("held");
  });

  it("holds unverified mentions for a moderator when verification is off", async () => {
    process.env.WEBMENTION_VERIFY = "off";
    resetEnv();
    const result = await receiveWebmention(testDb(), { source: `${base}/links`, target: `${SITE}/wiki/Nursery_and_garden`, siteOrigin: SITE });
    expect(result.status).toBe("held");
    expect(result.reasons[0]).toMatch(/not verified/);
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["93.184.216.34", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["::1", false],
    ["::", false],
    ["fc00::1", false],
    ["fe80::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:7f00:1", false],
    ["::ffff:169.254.169.254", false],
    ["not an address", false],
  ])("%s → %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
