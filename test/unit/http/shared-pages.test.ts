import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The page cache serves these routes to every reader, signed in or not
// (lib/http/page-cache.ts). That is only right while nothing they render on
// the server reads who is asking: this walks their server-side imports and
// fails on any module that reads the session, cookies or request headers.
const SHARED_ROUTES = ["app/layout.tsx", "app/page.tsx", "app/compare/page.tsx", "app/wiki/[slug]/page.tsx", "app/wiki/[slug]/diff/page.tsx", "app/wiki/[slug]/blame/page.tsx"];
const PERSONAL = [/^next\/headers$/, /^@\/lib\/auth\/session$/, /^@\/lib\/talk\/viewer$/, /^next-auth(\/next)?$/];

// Modules that read a request header the cache keys on, and only that one.
// client-navigation.ts reads `rsc`; the cache never stores router requests.
const ALLOWED = new Map([["lib/http/client-navigation.ts", /\.get\("rsc"\)/g]]);

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.join(path.dirname(from), spec) : null;
  if (base === null) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

function personalImports(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    // Client components run in the browser; they cannot read the server session.
    if (/^\s*["']use client["']/.test(source)) continue;
    if (ALLOWED.has(file)) continue;
    for (const [, spec] of source.matchAll(/(?:import|export)[^"';]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
      if (!spec) continue;
      if (PERSONAL.some((re) => re.test(spec))) found.push(`${file} imports ${spec}`);
      const next = resolve(file, spec);
      if (next) queue.push(next);
    }
  }
  return found;
}

describe("pages the cache shares between readers", () => {
  it.each(SHARED_ROUTES)("%s renders the same for everyone (reads no session, cookie or header)", (route) => {
    expect(existsSync(route)).toBe(true);
    expect(personalImports(route)).toEqual([]);
  });

  it("an allowed module reads the one header it is allowed, and nothing else", () => {
    for (const [file, allowed] of ALLOWED) {
      const source = readFileSync(file, "utf8");
      const reads = source.match(/headers\(\)\)?\.\w+\([^)]*\)/g) ?? [];
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((read) => new RegExp(allowed.source).test(read))).toBe(true);
      expect(source).not.toMatch(/cookies\(|getServerSession|@\/lib\/auth/);
    }
  });

  it("the check notices a route that reads the session", () => {
    expect(personalImports("app/wiki/[slug]/history/page.tsx")).toContain("app/wiki/[slug]/history/page.tsx imports @/lib/auth/session");
  });
});
