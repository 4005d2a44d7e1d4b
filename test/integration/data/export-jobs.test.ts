import { readFile } from "node:fs/promises";
import { beforeEach, describe, expect, it } from "vitest";
import { startExportCommand } from "@/lib/commands/data/start-export";
import { exportJobFile, listExportJobs } from "@/lib/data/export-jobs";
import { buildWiki } from "../../support/data";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildUser } from "../../support/factories";
import { validateExport } from "../../support/xmllint";

beforeEach(resetDatabase);

async function finished(id: number, actor: Parameters<typeof exportJobFile>[1]) {
  for (let i = 0; i < 300; i++) {
    const { job, file } = await exportJobFile(testDb(), actor, id);
    if (job.status !== "running") return { job, file };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the export did not finish");
}

describe("exports started by an administrator (admin page and API)", () => {
  it("run in the background, show their progress, and leave a valid file; one at a time; administrators only", async () => {
    await buildWiki(testDb());
    const admin = actorOf(await buildUser(testDb(), { role: "admin" }));
    const started = await run(testDb(), startExportCommand, admin, { format: "mediawiki" });
    expect(started).toMatchObject({ format: "mediawiki", status: "running" });
    await expect(run(testDb(), startExportCommand, admin, { format: "git" })).rejects.toThrow(`Export ${started.id} is still running`);
    const { job, file } = await finished(started.id, admin);
    expect(job).toMatchObject({ status: "done", error: null });
    expect(job.done).toBe(job.total);
    expect(job.done).toBeGreaterThan(10);
    expect(validateExport(file!).ok).toBe(true);

    const git = await run(testDb(), startExportCommand, admin, { format: "git" });
    const bundle = await finished(git.id, admin);
    expect(bundle.job.status).toBe("done");
    expect((await readFile(bundle.file!)).subarray(0, 16).toString()).toContain("# v2 git bundle");
    expect((await listExportJobs(testDb(), admin)).map((j) => [j.id, j.format, j.status])).toEqual([
      [git.id, "git", "done"],
      [started.id, "mediawiki", "done"],
    ]);

    const editor = actorOf(await buildUser(testDb(), { role: "editor" }));
    await expect(run(testDb(), startExportCommand, editor, { format: "git" })).rejects.toThrow(/administrators/);
    await expect(listExportJobs(testDb(), editor)).rejects.toThrow(/administrators/);
    await expect(exportJobFile(testDb(), editor, git.id)).rejects.toThrow(/administrators/);
  });
});
