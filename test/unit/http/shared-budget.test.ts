import { describe, expect, it } from "vitest";
import { BodyBudget, SharedBudget } from "@/lib/http/request-body";

describe("a budget clients share (adversary round 2: one client's stalled uploads spent the front's whole upload budget)", () => {
  it("lets no client hold more than its share, and leaves the rest to others", () => {
    const shared = new SharedBudget(new BodyBudget(100), 40);
    const attacker = shared.for("203.0.113.1");
    expect(attacker.take(30)).toBe(true);
    expect(attacker.take(15)).toBe(false);
    // Another request from the same client counts against the same share.
    expect(shared.for("203.0.113.1").take(10)).toBe(true);
    expect(shared.for("203.0.113.1").take(1)).toBe(false);
    expect(shared.heldBy("203.0.113.1")).toBe(40);
    const other = shared.for("203.0.113.2");
    expect(other.take(40)).toBe(true);
    expect(shared.for("203.0.113.3").take(20)).toBe(true);
    // The total still bounds everyone.
    expect(shared.for("203.0.113.4").take(1)).toBe(false);
    attacker.give(30);
    expect(shared.heldBy("203.0.113.1")).toBe(10);
    expect(shared.total.used).toBe(70);
    expect(shared.for("203.0.113.4").take(30)).toBe(true);
  });

  it("never gives back more than a client holds", () => {
    const shared = new SharedBudget(new BodyBudget(100), 40);
    shared.for("a").take(10);
    shared.for("b").take(10);
    shared.for("a").give(50);
    expect(shared.heldBy("a")).toBe(0);
    expect(shared.total.used).toBe(10);
  });
});
