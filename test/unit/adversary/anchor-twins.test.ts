import { describe, expect, it } from "vitest";
import { carryAnchor, quoteAt, TextChanges, type Resolution } from "@/lib/wiki/anchor";

// Adversary pass (issue 20, second round): twin passages whose twin sits in a line the edit changed.
// "It never silently points at the wrong words": a passage that was rewritten away is orphaned,
// never moved onto other words that were already on the page.

function carry(text: string, start: number, end: number, next: string) {
  const from: Resolution = { status: "anchored", start, end, confidence: 1 };
  return carryAnchor(new TextChanges(text, next), quoteAt(text, start, end), from);
}

describe("twin passages in one paragraph", () => {
  it("orphans a rewritten passage rather than moving it onto its twin earlier in the same paragraph", () => {
    // A quote long enough (32+ characters) to be taken elsewhere without its context agreeing.
    const text = "Intro.\n\nThe TKM side says tools are chosen by the whole team, while the SL side says tools are chosen by the whole team.\n\nEnd.\n";
    const quoted = "tools are chosen by the whole team";
    const start = text.lastIndexOf(quoted);
    const next = text.replace("the SL side says tools are chosen by the whole team.", "the SL side says people choose freely.");
    expect(carry(text, start, start + quoted.length, next)).toEqual({ status: "orphaned", confidence: 0 });
    // The same rewrite with an edit before the twin too: the changed middle then spans the twin's line.
    expect(carry(text, start, start + quoted.length, next.replace("Intro.", "Preface."))).toEqual({ status: "orphaned", confidence: 0 });
    expect(carry(text, start, start + quoted.length, next.replace("The TKM side", "TKM's side"))).toEqual({ status: "orphaned", confidence: 0 });
  });

  it("orphans a deleted passage rather than moving it onto a twin in another paragraph the same edit touched", () => {
    const text = "Alice wrote that knowledge lives in repositories.\n\nBob wrote that knowledge lives in repositories.\n";
    const quoted = "knowledge lives in repositories";
    const bob = text.lastIndexOf(quoted);
    // One edit: Bob's sentence rewritten, and a word added at the start of Alice's line (her words stay).
    const next = "So Alice wrote that knowledge lives in repositories.\n\nBob wrote something else.\n";
    const r = carry(text, bob, bob + quoted.length, next);
    expect(r).toEqual({ status: "orphaned", confidence: 0 });
  });

  it("still finds the passage itself when it moves within its paragraph", () => {
    const text = "First, the claim that tools are chosen. Second, a remark.\n";
    const quoted = "the claim that tools are chosen";
    const start = text.indexOf(quoted);
    const next = "Second, a remark. First, the claim that tools are chosen.\n";
    const r = carry(text, start, start + quoted.length, next);
    expect(r.status).toBe("anchored");
    if (r.status !== "orphaned") expect(next.slice(r.start, r.end)).toBe(quoted);
  });
});
