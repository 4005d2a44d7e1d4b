import { describe, expect, it } from "vitest";
import { idSchema, MAX_ID, parseId } from "@/lib/ids";

describe("row ids", () => {
  it("accept 1 to 2,147,483,647 written plainly", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId(String(MAX_ID))).toBe(MAX_ID);
    expect(idSchema.parse("42")).toBe(42);
  });

  it("refuse what the database could not hold, and anything else", () => {
    for (const raw of ["2147483648", "9999999999", "0", "-1", "01", "1.5", "1e3", " 1", "", undefined, 7]) expect(parseId(raw), String(raw)).toBeNull();
    expect(idSchema.safeParse("2147483648").success).toBe(false);
    expect(idSchema.safeParse("0").success).toBe(false);
  });
});
