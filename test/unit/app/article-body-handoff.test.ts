import { describe, expect, it } from "vitest";
import { leaveArticleHtml, takeArticleHtml } from "@/app/wiki/[slug]/article-body-handoff";

describe("the article body's handoff from the page to its server render", () => {
  it("gives the HTML once, to the render holding its key", () => {
    const a = leaveArticleHtml("<p>a</p>");
    const b = leaveArticleHtml("<p>b</p>");
    expect(a).not.toBe(b);
    expect(takeArticleHtml(b)).toBe("<p>b</p>");
    expect(takeArticleHtml(b)).toBeUndefined();
    expect(takeArticleHtml(a)).toBe("<p>a</p>");
  });

  it("lets entries nobody took (client-side navigations render no HTML) go after 30 seconds", () => {
    const start = 1_000_000;
    const old = leaveArticleHtml("<p>never taken</p>", start);
    const later = leaveArticleHtml("<p>new</p>", start + 30_001);
    expect(takeArticleHtml(old)).toBeUndefined();
    expect(takeArticleHtml(later)).toBe("<p>new</p>");
  });

  it("holds at most 16 million characters: the oldest go first", () => {
    const now = Date.now();
    const big = "x".repeat(7_500_000);
    const first = leaveArticleHtml(big, now);
    const second = leaveArticleHtml(big, now);
    const third = leaveArticleHtml(big, now);
    expect(takeArticleHtml(first)).toBeUndefined();
    expect(takeArticleHtml(second)).toHaveLength(7_500_000);
    expect(takeArticleHtml(third)).toHaveLength(7_500_000);
  });
});
