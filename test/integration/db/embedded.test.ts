import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { ConfigError } from "@/lib/env";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-embedded-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/start.ts", "--no-build"], {
    env: { ...process.env, DATABASE_URL: "", ...env, PORT: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("embedded database", () => {
  it("keeps data across a restart, through postgres.js", async () => {
    const dir = tempDir();
    const first = await startEmbeddedDatabase(dir);
    const a = connect(first.url, 1);
    await runMigrations(a);
    await a.sql`insert into users (name) values ('Persistent person')`;
    await a.sql.end();
    await first.stop();

    const second = await startEmbeddedDatabase(dir);
    const b = connect(second.url, 1);
    const rows = await b.sql<{ name: string }[]>`select name from users`;
    await b.sql.end();
    await second.stop();
    expect(rows.map((r) => r.name)).toEqual(["Persistent person"]);
  });

  it("refuses a data directory another process holds, with a plain message", async () => {
    const dir = tempDir();
    const running = await startEmbeddedDatabase(dir);
    try {
      await expect(startEmbeddedDatabase(dir)).rejects.toBeInstanceOf(ConfigError);
      await expect(startEmbeddedDatabase(dir)).rejects.toThrow(/is locked by another running Propagate/);
    } finally {
      await running.stop();
    }
  });
});

describe("start-up configuration errors", () => {
  it("a malformed DATABASE_URL ends start-up with one sentence and a non-zero exit", () => {
    const result = start({ DATABASE_URL: "mysql://nope" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Propagate cannot start: DATABASE_URL: DATABASE_URL must start with postgres://");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unreachable server is named in the message", () => {
    const result = start({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/propagate", AUTH_SECRET: "x".repeat(40) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Cannot reach the database server at 127.0.0.1:1");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a server database without AUTH_SECRET is refused with a plain sentence", () => {
    const result = start({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/propagate", AUTH_SECRET: "" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("AUTH_SECRET is not set");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("the embedded default generates AUTH_SECRET once and keeps it under the data directory", async () => {
    const { embeddedAuthSecret } = await import("@/lib/auth/secret");
    const dir = tempDir();
    const first = embeddedAuthSecret(dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(embeddedAuthSecret(dir)).toBe(first);
    const { statSync } = await import("node:fs");
    expect(statSync(path.join(dir, "auth-secret")).mode & 0o077).toBe(0);
  });

  it("a locked .data directory is reported", async () => {
    const dir = tempDir();
    const running = await startEmbeddedDatabase(dir);
    try {
      const result = start({ PROPAGATE_DATA_DIR: dir });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/is locked by another running Propagate/);
    } finally {
      await running.stop();
    }
  });
});
