/**
 * Whether the production build in .next/ was made from the sources as they
 * are now, by content rather than by file times: `npm install` rewrites
 * package-lock.json (a newer time, the same packages) and a checkout touches
 * every file, and neither should cost a 45-second rebuild on restart.
 *
 * The record (.build/next-inputs.json) holds the hash of the inputs and the
 * BUILD_ID it belongs to. When a build is about to run, the record is written
 * as pending for the old BUILD_ID; a later start that finds another BUILD_ID
 * knows that build finished from those inputs, and one that finds the same
 * BUILD_ID knows it did not.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What the Next.js build is made from. */
const SOURCES = ["app", "lib", "proxy.ts", "next.config.mjs", "tsconfig.json", "package.json"];
const RECORD = path.join(".build", "next-inputs.json");
const BUILD_ID = path.join(".next", "BUILD_ID");

type BuildRecord = { hash: string; buildId: string; pending: boolean };

function files(entry: string, out: string[]): string[] {
  if (!existsSync(entry)) return out;
  if (!statSync(entry).isDirectory()) {
    out.push(entry);
    return out;
  }
  for (const child of readdirSync(entry).sort()) files(path.join(entry, child), out);
  return out;
}

/**
 * The hash of the build's inputs: every source file's path and bytes, and the
 * installed packages by name, version and integrity (not package-lock.json's
 * bytes, which npm reformats).
 */
export function inputsHash(root = "."): string {
  const hash = createHash("sha256");
  for (const file of SOURCES.flatMap((s) => files(path.join(root, s), []))) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  const lockFile = path.join(root, "package-lock.json");
  if (existsSync(lockFile)) {
    const lock = JSON.parse(readFileSync(lockFile, "utf8")) as { packages?: Record<string, { version?: string; integrity?: string }> };
    const packages = Object.entries(lock.packages ?? {})
      .map(([name, p]) => `${name}@${p.version ?? ""}#${p.integrity ?? ""}`)
      .sort();
    hash.update(packages.join("\n"));
  }
  return hash.digest("hex");
}

function readRecord(root: string): BuildRecord | null {
  try {
    return JSON.parse(readFileSync(path.join(root, RECORD), "utf8")) as BuildRecord;
  } catch {
    return null;
  }
}

function writeRecord(root: string, record: BuildRecord): void {
  mkdirSync(path.join(root, path.dirname(RECORD)), { recursive: true });
  writeFileSync(path.join(root, RECORD), JSON.stringify(record) + "\n");
}

function currentBuildId(root: string): string | null {
  const file = path.join(root, BUILD_ID);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

/**
 * True when .next/ holds no build, or one made from other inputs than the
 * current ones. A true answer records the current inputs as pending, so the
 * build that follows is recognised by the next start.
 */
export function buildIsStale(root = "."): boolean {
  const hash = inputsHash(root);
  const buildId = currentBuildId(root);
  const record = readRecord(root);
  let builtFrom: string | null = null;
  if (buildId !== null && record) {
    if (!record.pending && record.buildId === buildId) builtFrom = record.hash;
    // A build ran (the BUILD_ID changed) after these inputs were recorded as pending: it was made from them.
    if (record.pending && record.buildId !== buildId) {
      writeRecord(root, { hash: record.hash, buildId, pending: false });
      builtFrom = record.hash;
    }
  }
  if (buildId !== null && builtFrom === hash) return false;
  recordBuildStarting(root, hash);
  return true;
}

/**
 * Record that a build from the current inputs is about to run (`npm run
 * build` always builds), so the next start recognises its result.
 */
export function recordBuildStarting(root = ".", hash = inputsHash(root)): void {
  writeRecord(root, { hash, buildId: currentBuildId(root) ?? "", pending: true });
}
