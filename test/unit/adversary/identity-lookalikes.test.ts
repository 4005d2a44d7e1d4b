import { describe, expect, it } from "vitest";
import { caselessSkeleton } from "@/lib/wikitext/confusables";

// Adversary (adv3): user names are compared by caselessSkeleton, which lower-cases BEFORE taking the
// UTS #39 skeleton. Lower-casing turns a capital I (confusable with l: confusables.txt 0049 → 006C)
// into an i, which is not confusable with l, so "AIice" (capital I) is not seen as "Alice".
describe("adversary: look-alike user names through case", () => {
  it("a capital I standing in for a lower-case l has the same caseless skeleton", () => {
    for (const [real, fake] of [
      ["Alice", "AIice"],
      ["Bill", "BiII"],
      ["Paypal", "PaypaI"],
      ["Ilya", "llya"],
    ] as const) {
      expect(caselessSkeleton(fake), `${fake} vs ${real}`).toBe(caselessSkeleton(real));
    }
  });
});
