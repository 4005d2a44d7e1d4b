import { describe, expect, it } from "vitest";
import { clientNetwork } from "@/lib/security/request";

// Adversary pass (issue 20, second round): a guest counts as one author (the fair cap on marked passages) and
// one poster (the talk rate limit) per network. An IPv6 host is handed a /64 at least, so per address it could
// be 2^64 guests, each with a share of the page's marks.

describe("a client's network", () => {
  it("is the /64 of an IPv6 address, however the address is written", () => {
    const one = clientNetwork("2001:db8:1:2::1");
    for (const address of ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0DB8:0001:0002:0000:0000:0000:0042", "2001:db8:1:2:abcd::7"]) expect(clientNetwork(address)).toBe(one);
    expect(clientNetwork("2001:db8:1:3::1")).not.toBe(one);
  });

  it("is the address itself for IPv4, an IPv4-mapped IPv6 address included (carrier NAT puts many people behind one)", () => {
    expect(clientNetwork("203.0.113.5")).toBe("203.0.113.5");
    expect(clientNetwork("::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(clientNetwork("203.0.113.6")).not.toBe(clientNetwork("203.0.113.5"));
  });

  it("keeps what is not an address as it is (never throws on a header's junk)", () => {
    expect(clientNetwork("unknown")).toBe("unknown");
    expect(clientNetwork("")).toBe("");
    expect(clientNetwork("2001:db8::1%eth0")).toBe(clientNetwork("2001:db8::2"));
  });
});
