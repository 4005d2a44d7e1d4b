import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

/** Every route handler under app/api, as an OpenAPI path (`[slug]` → `{slug}`). */
function routes(dir = "app/api"): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routes(full));
    else if (entry.name === "route.ts") found.push("/" + path.dirname(full).replace(/^app\//, "").replace(/\[([^\]]+)\]/g, "{$1}"));
  }
  return found;
}

describe("the OpenAPI document", () => {
  it("describes every API route (next-auth's own and the document itself aside)", () => {
    const documented = Object.keys(openApiDocument("https://wiki.example").paths);
    const undocumented = routes().filter((r) => !r.startsWith("/api/auth") && r !== "/api/openapi.json" && !documented.includes(r));
    expect(undocumented).toEqual([]);
  });

  it("bounds every id to the database's integer range", () => {
    const text = JSON.stringify(openApiDocument("https://wiki.example").paths);
    for (const name of ["before", "from", "to", "thread"]) {
      expect(text, name).toContain(`"name":"${name}","in":"${name === "thread" ? "path" : "query"}"`);
    }
    expect(text).toContain('"maximum":2147483647');
  });
});
