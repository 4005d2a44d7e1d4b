import { spawnSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { closeTestDb } from "../../support/db";

describe("rendering without code generation from strings", () => {
  it("saves, renders and serves a page in a process where eval and new Function are disabled", async () => {
    await closeTestDb();
    const result = spawnSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--conditions=react-server", "--import", "tsx", "test/support/scripts/render-without-eval.ts", inject("databaseUrl")],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(result.stderr).not.toMatch(/EvalError/);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as {
      evalBlocked: boolean;
      first: { ok: boolean; html: string };
      second: { ok: boolean; html: string };
    };
    expect(out.evalBlocked).toBe(true);
    expect(out.first.ok).toBe(true);
    expect(out.first.html).toContain("<strong>there</strong>");
    expect(out.second.html).toBe(out.first.html);
  });
});
