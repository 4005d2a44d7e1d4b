import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";

/**
 * Issue 19, item 4: on the embedded database every `npm run admin` command works
 * while the wiki runs and is written to. A wiki of this spec's own on PGlite (whatever
 * DATABASE_URL the suite has), an editor saving revisions through the API throughout,
 * and the CLI as an operator runs it, in a process of its own. Each result is read back
 * from the running wiki (its API and pages) or from the file the CLI wrote.
 */

let app: Awaited<ReturnType<typeof startApp>>;
let dataDir: string;
let work: string;
const base = () => app.base;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "propagate-ops-"));
  work = mkdtempSync(path.join(tmpdir(), "propagate-ops-files-"));
  // The shared e2e setup has built the wiki already.
  app = await startApp({ DATABASE_URL: "", PROPAGATE_DATA_DIR: dataDir }, "/api/health", 180_000, ["--no-build"]);
}, 240_000);

afterAll(async () => {
  await app?.stop();
  for (const dir of [dataDir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

type Run = { status: number | null; stdout: string; stderr: string; child: ChildProcess };

/** `npm run admin -- …` against the running wiki's data directory; `watch` sees its stderr as it comes. */
function admin(args: string[], watch?: (stderr: string, child: ChildProcess) => void): Promise<Run> {
  // One process (tsx as a loader, not its CLI, which would leave a child running after a kill).
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/admin.ts", ...args], {
    env: { ...process.env, DATABASE_URL: "", PROPAGATE_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    watch?.(stderr, child);
  });
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr, child })));
}

function mdx(title: string, body: string): string {
  return `---\ntitle: "${title}"\nkind: concept\nsummary: Written while operators work.\ntags: []\n---\n\n${body}\n`;
}

/** An editor saving revision after revision of one page through the API until stopped; every save must land. */
function startWriter(token: string, slug: string, title: string) {
  let stopping = false;
  let saved = 0;
  let worstMs = 0;
  const failures: string[] = [];
  const loop = (async () => {
    let parent: number | null = null;
    for (let k = 0; !stopping; k++) {
      const started = performance.now();
      const res: Response = await fetch(`${base()}/api/pages/${slug}/revisions`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ content: mdx(title, `Revision ${k} of a page written during maintenance.`), summary: `save ${k}`, baseRevisionId: parent }),
      });
      const text: string = await res.text();
      worstMs = Math.max(worstMs, performance.now() - started);
      if (res.status === 201) {
        parent = (JSON.parse(text) as { revision: { id: number } }).revision.id;
        saved++;
      } else failures.push(`${res.status} ${text.slice(0, 300)}`);
    }
  })();
  return {
    get saved() {
      return saved;
    },
    /** Wait until at least `n` more saves have landed (so a command surely ran under writes). */
    async more(n: number) {
      const target = saved + n;
      const deadline = Date.now() + 60_000;
      while (saved < target && failures.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      stopping = true;
      await loop;
      return { saved, failures, worstMs: Math.round(worstMs) };
    },
  };
}

function dump(pages: { title: string; revisions: string[] }[]): string {
  let id = 1;
  const xml = pages.map(
    (p, i) =>
      `<page><title>${p.title}</title><ns>0</ns><id>${i + 1}</id>${p.revisions
        .map(
          (text, r) =>
            `<revision><id>${id++}</id><timestamp>2021-03-0${(r % 9) + 1}T00:00:00Z</timestamp><contributor><username>Importer ${i % 5}</username></contributor><model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">${text}</text><sha1>x</sha1></revision>`,
        )
        .join("")}</page>`,
  );
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">${xml.join("\n")}</mediawiki>\n`;
}

function readBackup(file: string): Map<string, Record<string, unknown>[]> {
  const tables = new Map<string, Record<string, unknown>[]>();
  let current: Record<string, unknown>[] | undefined;
  const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n").filter(Boolean);
  for (const line of lines.slice(1)) {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (Object.keys(value).length === 1 && typeof value.table === "string" && !tables.has(value.table)) {
      current = [];
      tables.set(value.table, current);
    } else current!.push(value);
  }
  return tables;
}

describe("npm run admin while the embedded wiki runs and is written to", () => {
  it("creates users, makes and honours tokens, blocks, backs up, exports and imports, with every concurrent save landing", async () => {
    // An account and its token, made by the operator while the wiki serves.
    let r = await admin(["create-user", "--email", "writer@ops.example", "--name", "Ops Writer", "--role", "editor", "--password", "a long enough secret"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    r = await admin(["token", "--email", "writer@ops.example", "--scope", "write"]);
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    const me = await fetch(`${base()}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.text()).toContain("Ops Writer");

    // A page linking to one that the import will create: cached with a red link until then.
    const linker = await fetch(`${base()}/api/pages/Ops_Linker/revisions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ content: mdx("Ops Linker", "See [[Ops Imported One]]."), summary: "linker", baseRevisionId: null }),
    });
    expect(linker.status).toBe(201);
    await fetch(`${base()}/wiki/Ops_Linker`).then((res) => res.text());
    const cached = await fetch(`${base()}/wiki/Ops_Linker`);
    expect(cached.headers.get("x-page-cache")).toBe("hit");
    expect(await cached.text()).toContain('class="wikilink new"');

    const writer = startWriter(token, "Ops_Busy_Page", "Ops Busy Page");
    try {
      await writer.more(3);

      // A spammer, blocked by the operator: their token is refused at once.
      await admin(["create-user", "--email", "spammer@ops.example", "--name", "Ops Spammer", "--role", "editor"]);
      const spam = (await admin(["token", "--email", "spammer@ops.example", "--scope", "write"])).stdout.trim();
      expect((await fetch(`${base()}/api/me`, { headers: { Authorization: `Bearer ${spam}` } })).status).toBe(200);
      await writer.more(3);
      r = await admin(["block", "--email", "spammer@ops.example"]);
      expect(r.stdout).toContain("Ops Spammer is blocked.");
      expect((await fetch(`${base()}/api/me`, { headers: { Authorization: `Bearer ${spam}` } })).status).toBe(403);

      // A backup while saves go on: one snapshot, in which every page's latest revision and whole history are present.
      await writer.more(3);
      const backupFile = path.join(work, "wiki.backup.gz");
      r = await admin(["backup", "--out", backupFile]);
      expect(r.status, r.stderr).toBe(0);
      const savedAfterBackup = writer.saved;
      const backup = readBackup(backupFile);
      const pages = backup.get("pages")!;
      const revisions = backup.get("revisions")!;
      const revisionIds = new Set(revisions.map((rev) => rev.id));
      for (const page of pages) expect(revisionIds.has(page.latest_revision_id)).toBe(true);
      for (const rev of revisions) if (rev.parent_id !== null) expect(revisionIds.has(rev.parent_id)).toBe(true);
      const busy = pages.find((p) => p.title === "Ops Busy Page")!;
      const busyRevisions = revisions.filter((rev) => rev.page_id === busy.id);
      // Its history in the backup is a whole prefix of what was saved, ending at the page's latest revision then.
      expect(busyRevisions.length).toBeGreaterThanOrEqual(9);
      // (The writer has one save in flight at a time: it may be in the snapshot before its answer is counted.)
      expect(busyRevisions.length).toBeLessThanOrEqual(savedAfterBackup + 1);
      expect(Math.max(...busyRevisions.map((rev) => Number(rev.id)))).toBe(Number(busy.latest_revision_id));
      expect(backup.get("users")!.find((u) => u.email === "spammer@ops.example")?.blocked_at).not.toBeNull();
      // Restore wants an empty database: the running wiki's is refused, plainly.
      r = await admin(["restore", "--in", backupFile]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("holds the running wiki's: restore into a new data directory");

      // Exports while saves go on.
      await writer.more(3);
      const xmlFile = path.join(work, "wiki.xml");
      r = await admin(["export", "--format", "mediawiki", "--out", xmlFile]);
      expect(r.status, r.stderr).toBe(0);
      const xml = readFileSync(xmlFile, "utf8");
      expect(xml).toContain("<title>Ops Busy Page</title>");
      expect(xml.trimEnd().endsWith("</mediawiki>")).toBe(true);
      const gitDir = path.join(work, "wiki.git");
      r = await admin(["export", "--format", "git", "--out", gitDir]);
      expect(r.status, r.stderr).toBe(0);
      const commits = Number(execFileSync("git", ["-C", gitDir, "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim());
      expect(commits).toBeGreaterThanOrEqual(busyRevisions.length);

      // An import while saves go on: its pages are served, and the cached page that linked to one is purged.
      await writer.more(3);
      const dumpFile = path.join(work, "import.xml");
      writeFileSync(
        dumpFile,
        dump([
          { title: "Ops Imported One", revisions: ["First '''version'''.", "Second version, linking [[Ops Linker]]."] },
          { title: "Ops Imported Two", revisions: ["Only version."] },
        ]),
      );
      r = await admin(["import", "--format", "mediawiki", "--in", dumpFile]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("2 pages with 3 revisions imported");
      const imported = await fetch(`${base()}/api/pages/Ops_Imported_One`);
      expect(imported.status).toBe(200);
      expect(await imported.text()).toContain("Second version");
      expect((await fetch(`${base()}/api/pages/Ops_Imported_One/revisions`).then((res) => res.json())) as unknown).toMatchObject({ revisions: [{}, {}] });
      const view = await fetch(`${base()}/wiki/Ops_Imported_Two`);
      expect(view.status).toBe(200);
      expect(await view.text()).toContain("Only version.");
      const purged = await (await fetch(`${base()}/wiki/Ops_Linker`)).text();
      expect(purged).not.toContain('class="wikilink new"');
      await writer.more(3);
    } finally {
      const outcome = await writer.stop();
      // Every save made while the operator worked landed, and none waited unboundedly.
      expect(outcome.failures).toEqual([]);
      expect(outcome.saved).toBeGreaterThanOrEqual(18);
      expect(outcome.worstMs).toBeLessThan(30_000);
    }
    const health = await fetch(`${base()}/api/health`);
    expect(health.status).toBe(200);
  }, 300_000);

  it("an import killed mid-page leaves only complete pages, and the wiki serves and saves on", async () => {
    const PAGES = 300;
    const REVISIONS = 4;
    const dumpFile = path.join(work, "killed.xml");
    writeFileSync(
      dumpFile,
      dump(Array.from({ length: PAGES }, (_, p) => ({ title: `Killed ${p + 1}`, revisions: Array.from({ length: REVISIONS }, (_, v) => `Page ${p + 1}, version ${v + 1}. [[Killed ${p + 2}]]`) }))),
    );
    // Killed without warning as soon as it reports its first pages: mid-page, most likely.
    const r = await admin(["import", "--format", "mediawiki", "--in", dumpFile], (stderr, child) => {
      if (stderr.includes("pages read") && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    expect(r.child.signalCode).toBe("SIGKILL");

    // What the running wiki holds, read through the URL it serves its database on (as the CLI reads it).
    const { url } = JSON.parse(readFileSync(path.join(dataDir, "database.json"), "utf8")) as { url: string };
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const counts = await sql<{ title: string; revisions: number }[]>`
        select p.title, count(r.id)::int as revisions from pages p join revisions r on r.page_id = p.id
        where p.title like 'Killed %' group by p.title`;
      expect(counts.length).toBeGreaterThanOrEqual(25);
      expect(counts.length).toBeLessThan(PAGES);
      expect(counts.filter((c) => c.revisions !== REVISIONS)).toEqual([]);
      // And through the wiki: an imported page has its whole history; the next one was never half-made.
      const last = counts.map((c) => Number(c.title.slice("Killed ".length))).sort((a, b) => b - a)[0]!;
      const history = (await (await fetch(`${base()}/api/pages/Killed_${last}/revisions`)).json()) as { revisions: unknown[] };
      expect(history.revisions).toHaveLength(REVISIONS);
      expect((await fetch(`${base()}/api/pages/Killed_${last + 1}`)).status).toBe(404);
    } finally {
      await sql.end();
    }
    // The session the killed import held is free again: the wiki answers and saves.
    expect((await fetch(`${base()}/api/health`)).status).toBe(200);
    const token = (await admin(["token", "--email", "writer@ops.example", "--scope", "write"])).stdout.trim();
    const save = await fetch(`${base()}/api/pages/Ops_After_Kill/revisions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ content: mdx("Ops After Kill", "Saved after the import was killed."), summary: "after", baseRevisionId: null }),
    });
    expect(save.status).toBe(201);
  }, 180_000);
});
