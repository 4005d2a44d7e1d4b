import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { talkPosts } from "@/lib/db/schema";
import { issueFormToken } from "@/lib/talk/form-token";
import { resetDatabase, testDb } from "../../support/db";
import { run } from "../../support/commands";
import { buildPage, differenceSource } from "../../support/factories";

// Adversary pass (issue 20, second round): guests are counted per network, not per address. The fair cap on a
// page's marked passages takes at most 20 threads per guest by the hash stored with their first post, and the talk
// rate limit counts posts per client: per IPv6 address, one host with its /64 was any number of guests.

beforeEach(resetDatabase);

const guest = (ip: string, n: number) => {
  const cookie = `guest-cookie-${n}-aaaaaaaaaaaaaaaaaaaa`;
  return {
    input: { guestName: `Visitor ${n}`, website: "", formToken: issueFormToken({ guestToken: cookie }, Date.now() - 60_000) },
    overrides: { guestToken: cookie, ip },
  };
};

async function start(ip: string, n: number) {
  const g = guest(ip, n);
  return run(testDb(), startThreadCommand, null, { title: "Nets", threadTitle: `Question ${n}`, body: `A question about the garden, number ${n}.`, ...g.input }, g.overrides);
}

async function ipHashOf(postId: number) {
  const [row] = await testDb().select({ ipHash: talkPosts.ipHash }).from(talkPosts).where(eq(talkPosts.id, postId));
  return row!.ipHash;
}

describe("guests by network", () => {
  it("stores one network's hash for every address of an IPv6 /64, and an IPv4-mapped address as the IPv4 one", async () => {
    await buildPage(testDb(), "Nets", differenceSource("Nets", { sl: "Side.", body: "A page." }));
    const a = await start("2001:db8:1:2::1", 1);
    const b = await start("2001:db8:1:2:ffff:ffff:ffff:fffe", 2);
    const other = await start("2001:db8:1:3::1", 3);
    const v4 = await start("203.0.113.5", 4);
    const mapped = await start("::ffff:203.0.113.5", 5);
    expect(await ipHashOf(a.postId)).toBe(await ipHashOf(b.postId));
    expect(await ipHashOf(other.postId)).not.toBe(await ipHashOf(a.postId));
    expect(await ipHashOf(mapped.postId)).toBe(await ipHashOf(v4.postId));
  });

  it("rate-limits a /64's posts together, whatever address each comes from", async () => {
    await buildPage(testDb(), "Nets", differenceSource("Nets", { sl: "Side.", body: "A page." }));
    for (let n = 1; n <= 10; n++) await start(`2001:db8:7:7::${n.toString(16)}`, n);
    await expect(start("2001:db8:7:7::ff", 11)).rejects.toMatchObject({ code: "rate_limited" });
    // Another network is not held back by it.
    await expect(start("2001:db8:7:8::1", 12)).resolves.toMatchObject({ status: expect.any(String) });
  });
});
