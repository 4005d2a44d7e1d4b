import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PassageMarks, type PagePassage } from "@/app/wiki/[slug]/passage-marks";

const passage = (threadId: number, status: PagePassage["status"] = "anchored", extra: Partial<PagePassage> = {}): PagePassage => ({
  threadId,
  title: `Thread ${threadId}`,
  quote: `words of ${threadId}`,
  status,
  confidence: status === "orphaned" ? 0 : 1,
  lostAt: null,
  ...(status === "orphaned" ? {} : { start: threadId * 10, end: threadId * 10 + 5 }),
  ...extra,
});

const panel = (props: Parameters<typeof PassageMarks>[0]) => renderToStaticMarkup(createElement(PassageMarks, props));

describe("the side panel of discussed passages", () => {
  it("says how many threads about passages the caps left unmarked, and links to the talk page that lists them", () => {
    const html = panel({ slug: "Capped", revision: 3, threads: [passage(1), passage(2)], unmarked: 481 });
    expect(html).toContain("Discussed passages (2)");
    expect(html).toContain("481 more threads about passages are not marked here;");
    expect(html).toContain('<a href="/wiki/Capped/talk">they are listed on the talk page</a>');
    expect(panel({ slug: "Capped", revision: 3, threads: [passage(1)], unmarked: 1 })).toContain("1 more thread about a passage is not marked here;");
    expect(panel({ slug: "Capped", revision: 3, threads: [passage(1)], unmarked: 0 })).not.toContain("not marked here");
  });

  it("tells a passage the search gave up on from one that is gone", () => {
    const html = panel({ slug: "Periodic", revision: 3, threads: [passage(1, "orphaned", { unplaced: true }), passage(2, "orphaned")] });
    expect(html).toContain("Passage not placed on this revision (the text around it repeats too much to tell where it is)");
    expect(html).toContain("Passage no longer on the page");
  });
});
