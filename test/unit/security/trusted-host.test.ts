import { describe, expect, it } from "vitest";
import { isTrustedHost, originVary, siteOrigin, trustedOrigin } from "@/lib/security/request";

const h = (init: Record<string, string>) => new Headers(init);

describe("the site's own origin, never an arbitrary Host header", () => {
  it("is PUBLIC_URL whatever the Host says", () => {
    expect(trustedOrigin(h({ host: "evil.example" }), { publicUrl: "https://wiki.example/", trustProxy: false })).toBe("https://wiki.example");
  });

  it("accepts loopback hosts and ALLOWED_HOSTS, by name or name:port", () => {
    const policy = { trustProxy: false, allowedHosts: ["wiki.internal", "docs.example:8080"] };
    for (const host of ["localhost:3000", "127.0.0.1:3000", "127.5.6.7", "[::1]:3000", "wiki.internal", "wiki.internal:3000", "docs.example:8080"]) {
      expect(isTrustedHost(host, policy)).toBe(true);
    }
    expect(trustedOrigin(h({ host: "WIKI.internal:3000" }), policy)).toBe("http://wiki.internal:3000");
  });

  it("refuses a spoofed Host (and tricks that URL parsing would forgive)", () => {
    const policy = { trustProxy: false, allowedHosts: ["wiki.internal"] };
    for (const host of ["evil.example", "docs.example:9090", "evil.example@localhost", "localhost/evil", "127.0.0.1.evil.example", "wiki.internal.evil.example"]) {
      expect(isTrustedHost(host, policy)).toBe(false);
      expect(trustedOrigin(h({ host }), policy)).toBeNull();
      expect(siteOrigin(h({ host }), policy)).toBe("http://localhost");
    }
  });

  it("reads X-Forwarded-Host only behind a trusted proxy, and checks it too", () => {
    expect(trustedOrigin(h({ host: "localhost:3000", "x-forwarded-host": "evil.example" }), { trustProxy: false })).toBe("http://localhost:3000");
    expect(trustedOrigin(h({ host: "localhost:3000", "x-forwarded-host": "evil.example" }), { trustProxy: true })).toBeNull();
    expect(trustedOrigin(h({ host: "x", "x-forwarded-host": "wiki.internal", "x-forwarded-proto": "https" }), { trustProxy: true, allowedHosts: ["wiki.internal"] })).toBe("https://wiki.internal");
  });
});

describe("responses whose links are built on the origin", () => {
  it("vary with the headers the origin came from, unless PUBLIC_URL fixes it", () => {
    expect(originVary({ publicUrl: "https://wiki.example", trustProxy: true })).toBeNull();
    expect(originVary({ trustProxy: false })).toBe("Host");
    expect(originVary({ trustProxy: true })).toBe("Host, X-Forwarded-Host, X-Forwarded-Proto");
  });

  it("ignore X-Forwarded-Proto without a trusted proxy: feed links keep the request's own scheme", () => {
    expect(siteOrigin(h({ host: "127.0.0.1:3000", "x-forwarded-proto": "https" }), { trustProxy: false })).toBe("http://127.0.0.1:3000");
    expect(siteOrigin(h({ host: "127.0.0.1:3000", "x-forwarded-proto": "https" }), { trustProxy: true })).toBe("https://127.0.0.1:3000");
  });
});
