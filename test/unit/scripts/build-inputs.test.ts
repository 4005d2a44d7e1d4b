import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildIsStale, inputsHash, recordBuildStarting } from "../../../scripts/build-inputs";

const dirs: string[] = [];
function project(lock: object, page = "export default function Page() { return null; }\n"): string {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-inputs-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "app"));
  writeFileSync(path.join(dir, "app", "page.tsx"), page);
  writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock));
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lock = { name: "p", lockfileVersion: 3, packages: { "": { name: "p" }, "node_modules/next": { version: "16.4.6", integrity: "sha512-x" } } };

describe("whether the build is current, by the content of its inputs", () => {
  it("is unchanged when npm rewrites package-lock.json with the same packages (other layout, newer time)", () => {
    const dir = project(lock);
    const before = inputsHash(dir);
    writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock, null, 2) + "\n");
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, "package-lock.json"), later, later);
    utimesSync(path.join(dir, "app", "page.tsx"), later, later);
    expect(inputsHash(dir)).toBe(before);
  });

  it("changes with a source file or an installed package's version", () => {
    const dir = project(lock);
    const before = inputsHash(dir);
    writeFileSync(path.join(dir, "app", "page.tsx"), "export default function Page() { return 1; }\n");
    const edited = inputsHash(dir);
    expect(edited).not.toBe(before);
    writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ ...lock, packages: { ...lock.packages, "node_modules/next": { version: "16.4.7", integrity: "sha512-y" } } }));
    expect(inputsHash(dir)).not.toBe(edited);
  });

  it("a start after `npm run build` does not build again, and one after a failed or stale build does", () => {
    const dir = project(lock);
    const build = (id: string) => {
      mkdirSync(path.join(dir, ".next"), { recursive: true });
      writeFileSync(path.join(dir, ".next", "BUILD_ID"), id);
    };
    // No build yet: stale.
    expect(buildIsStale(dir)).toBe(true);
    // npm run build, on a tree a start has already found current: it records, builds, then confirms.
    build("one");
    expect(buildIsStale(dir)).toBe(false);
    recordBuildStarting(dir);
    build("two");
    expect(buildIsStale(dir)).toBe(false);
    expect(buildIsStale(dir)).toBe(false);
    // A build that did not finish leaves BUILD_ID as it was: the next start builds.
    writeFileSync(path.join(dir, "app", "page.tsx"), "export default function Page() { return 2; }\n");
    recordBuildStarting(dir);
    expect(buildIsStale(dir)).toBe(true);
  });
});
