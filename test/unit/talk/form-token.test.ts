import { describe, expect, it } from "vitest";
import { FORM_TOKEN_MAX_AGE_SECONDS, issueFormToken, secondsSinceIssued } from "@/lib/talk/form-token";

describe("signed form tokens (when a post form was opened, and by whom)", () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  const guest = { guestToken: "guest-cookie-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
  const otherGuest = { guestToken: "guest-cookie-bbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
  const member = { userId: "11111111-1111-4111-8111-111111111111" };
  const otherMember = { userId: "22222222-2222-4222-8222-222222222222" };

  it("tell how long ago the server issued them to the same guest cookie or user", () => {
    expect(secondsSinceIssued(issueFormToken(guest, now - 42_000), guest, now)).toBe(42);
    expect(secondsSinceIssued(issueFormToken(member, now - 42_000), member, now)).toBe(42);
  });

  it("count as no time at all when presented with another guest cookie, another user, or no holder", () => {
    expect(secondsSinceIssued(issueFormToken(guest, now - 60_000), otherGuest, now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(member, now - 60_000), otherMember, now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(member, now - 60_000), { guestToken: member.userId }, now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(guest, now - 60_000), undefined, now)).toBe(0);
  });

  it("expire after two hours", () => {
    expect(FORM_TOKEN_MAX_AGE_SECONDS).toBe(2 * 3_600);
    expect(secondsSinceIssued(issueFormToken(guest, now - 2 * 3_600_000), guest, now)).toBe(2 * 3_600);
    expect(secondsSinceIssued(issueFormToken(guest, now - 2 * 3_600_000 - 1_000), guest, now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(guest, now - 7 * 24 * 3_600_000), guest, now)).toBe(0);
  });

  it("count as no time at all when missing, forged or from the future", () => {
    const token = issueFormToken(guest, now - 60_000);
    const [issued, mac] = token.split(".") as [string, string];
    expect(secondsSinceIssued(undefined, guest, now)).toBe(0);
    expect(secondsSinceIssued("", guest, now)).toBe(0);
    expect(secondsSinceIssued(`${Number(issued) - 3_600_000}.${mac}`, guest, now)).toBe(0); // an earlier time with the same signature
    expect(secondsSinceIssued(`${issued}.${"A".repeat(43)}`, guest, now)).toBe(0);
    expect(secondsSinceIssued(issueFormToken(guest, now + 60_000), guest, now)).toBe(0);
  });
});
