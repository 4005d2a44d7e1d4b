import { describe, expect, it } from "vitest";
import { issueFormToken, secondsSinceIssued } from "@/lib/talk/form-token";

describe("signed form tokens (when a post form was opened)", () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);

  it("tell how long ago the server issued them", () => {
    expect(secondsSinceIssued(issueFormToken(now - 42_000), now)).toBe(42);
  });

  it("count as no time at all when missing, forged, from the future or too old", () => {
    const token = issueFormToken(now - 60_000);
    const [issued, mac] = token.split(".") as [string, string];
    expect(secondsSinceIssued(undefined, now)).toBe(0);
    expect(secondsSinceIssued("", now)).toBe(0);
    expect(secondsSinceIssued(`${Number(issued) - 3_600_000}.${mac}`, now)).toBe(0); // an earlier time with the same signature
    expect(secondsSinceIssued(`${issued}.${"A".repeat(43)}`, now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(now + 60_000), now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(now - 8 * 24 * 3_600_000), now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(now - 2 * 24 * 3_600_000), now)).toBe(2 * 24 * 3_600);
  });
});
