import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnv } from "@/lib/env";
import { seed } from "@/lib/seed";
import { listMentions } from "@/lib/talk/talk-store";
import { receiveWebmention } from "@/lib/talk/webmention";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { resetDatabase, testDb } from "../../support/db";

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
