import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/users/password";

describe("passwords", () => {
  it("hashes with argon2id at OWASP's parameters and verifies", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse batterY")).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    expect(await hashPassword("correct horse battery")).not.toBe(await hashPassword("correct horse battery"));
  });

  it.each([
    ["short1", /at least 10/],
    ["password123", /too common/],
    ["aaaaaaaaaaaaaa", /too few characters/],
    ["x".repeat(129), /at most 128/],
    ["x".repeat(1_000_000), /at most 128/],
  ])("refuses %j before hashing", (pw, reason) => {
    expect(passwordProblem(pw.slice(0, 2_000_000))).toMatch(reason);
  });

  it("refuses a password containing the user's name or email", () => {
    expect(passwordProblem("howard-secret-99", { email: "howard@example.org" })).toMatch(/name or email/);
  });

  it("never hashes an over-long password, even if a caller skipped the check", async () => {
    await expect(hashPassword("y".repeat(1_000_000))).rejects.toThrow(/too long/);
  });

  it("takes about as long for an unknown account as for a wrong password", async () => {
    const hash = await hashPassword("correct horse battery");
    await verifyPassword(null, "warm up the dummy hash");
    // Interleaved single runs and medians: other test files run at the same time, and a burst of load
    // during one block of runs would otherwise decide the ratio.
    const once = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      wrongTimes.push(await once(() => verifyPassword(hash, "wrong password here")));
      unknownTimes.push(await once(() => verifyPassword(null, "wrong password here")));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wrong = median(wrongTimes);
    const unknown = median(unknownTimes);
    expect(unknown / wrong).toBeGreaterThan(0.5);
    expect(unknown / wrong).toBeLessThan(2);
  });
});
