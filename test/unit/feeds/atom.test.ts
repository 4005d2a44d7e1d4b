import { parseFeed } from "@rowanmanning/feed-parser";
import { describe, expect, it } from "vitest";
import { atomFeed } from "@/lib/feeds/atom";

const feed = (title: string, author = "Ann", html = "<p>body</p>") =>
  atomFeed({
    id: "https://wiki.example/recent-changes",
    title: "Propagate — recent changes",
    link: "https://wiki.example/recent-changes",
    selfLink: "https://wiki.example/feeds/recent-changes",
    updated: new Date(Date.UTC(2026, 10, 28)),
    entries: [{ id: "https://wiki.example/e/1", title, link: "https://wiki.example/wiki/A", updated: new Date(Date.UTC(2026, 10, 28)), author, html }],
  });

describe("Atom feeds", () => {
  it("show an entry title as text, even one written to break out of its CDATA", () => {
    const evil = 'x]]>y]]></title><link href="https://evil.example/"/><title><![CDATA[<img src=x onerror=alert(1)>';
    const xml = feed(evil);
    expect(xml).not.toContain('<link href="https://evil.example/"/>');
    expect(xml).not.toContain("<img src=x");
    const parsed = parseFeed(xml);
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]!.title).toContain("onerror=alert(1)"); // as text
    expect(parsed.items[0]!.url).toBe("https://wiki.example/wiki/A");
  });

  it("drop characters XML cannot hold, so one bad summary cannot break the feed", () => {
    const xml = feed("bell \u0007 and \u0001 here", "A\u0002nn", "<p>x\u0000y</p>");
    // eslint-disable-next-line no-control-regex -- checking that none are left
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(parseFeed(xml).items[0]!.title).toBe("bell  and  here");
  });
});
