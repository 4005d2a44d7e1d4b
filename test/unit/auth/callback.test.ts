import { describe, expect, it } from "vitest";
import { safeCallback } from "@/lib/security/callback";

describe("where sign-in may send you back to", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeCallback("/wiki/Adoption")).toBe("/wiki/Adoption");
    expect(safeCallback("/wiki/Adoption/talk?x=1#post-3")).toBe("/wiki/Adoption/talk?x=1#post-3");
  });

  it.each(["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/%09/evil.example", "https://evil.example", "javascript:alert(1)", "", undefined, ["/a"]])(
    "sends %j home instead",
    (raw) => {
      const safe = safeCallback(raw);
      expect(new URL(safe, "https://wiki.example").origin).toBe("https://wiki.example");
      if (typeof raw !== "string" || !raw.startsWith("/") || /[\t\n\\]/.test(raw) || raw.startsWith("//")) expect(safe).toBe("/");
    },
  );

  it.each(["/.//127.0.0.2:8999/x", "/..//127.0.0.2:8999/x", "/%2e//127.0.0.2:8999/x", "/%2E%2E//evil.example", "/a/../..//evil.example", "/./\\evil.example"])(
    "resolves %j against the site's origin as a browser does, and sends it home (open redirect)",
    (raw) => {
      expect(safeCallback(raw, "https://wiki.example")).toBe("/");
      expect(safeCallback(raw)).toBe("/");
    },
  );

  it("keeps a same-origin absolute URL as its path", () => {
    expect(safeCallback("https://wiki.example/wiki/Adoption?rev=2", "https://wiki.example")).toBe("/wiki/Adoption?rev=2");
    expect(safeCallback("https://other.example/wiki/Adoption", "https://wiki.example")).toBe("/");
  });
});
