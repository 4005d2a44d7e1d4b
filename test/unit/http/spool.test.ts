import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { removeSpool, spool, spoolBytes, sweepSpools } from "@/lib/http/spool";

describe("spool", () => {
  it("writes the bytes to a file of their own, with their size, SHA-256 and first 64 KiB", async () => {
    const bytes = Buffer.alloc(100_000, 9);
    const file = await spoolBytes(bytes);
    try {
      expect(readFileSync(file.path).equals(bytes)).toBe(true);
      expect(file.size).toBe(100_000);
      expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(file.head.byteLength).toBe(65_536);
      expect(path.basename(file.dir)).toMatch(new RegExp(`^propagate-upload-${process.pid}-`));
    } finally {
      await removeSpool(file);
    }
    expect(existsSync(file.dir)).toBe(false);
  });

  it("asks for the limit once, with the first 64 KiB, and stops past it, removing the file", async () => {
    let asked = 0;
    async function* chunks() {
      for (let i = 0; i < 100; i++) yield Buffer.alloc(50_000, 1);
    }
    const error = await spool(chunks(), { limitFor: () => (asked++, 120_000), tooLarge: (limit) => new Error(`over ${limit}`) }).catch((e: Error) => e);
    expect(String(error)).toContain("over 120000");
    expect(asked).toBe(1);
  });

  it("asks for a short file's limit with all of it", async () => {
    const heads: number[] = [];
    const file = await spool([Buffer.from("WEBVTT\n")], { limitFor: (head) => (heads.push(head.byteLength), 10), tooLarge: () => new Error("over") });
    await removeSpool(file);
    expect(heads).toEqual([7]);
  });

  it("sweeps the directories of processes that have ended, and keeps those of live ones", async () => {
    const ended = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const dead = path.join(tmpdir(), `propagate-upload-${ended.stdout}-test`);
    const alive = path.join(tmpdir(), `propagate-upload-${process.ppid}-test`);
    for (const dir of [dead, alive]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "upload"), "left behind");
    }
    await sweepSpools();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
    await removeSpool({ dir: alive });
  });
});
