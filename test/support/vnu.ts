import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";

const vnuJar = createRequire(import.meta.url)("vnu-jar") as string;

export type VnuMessage = { type: string; subType?: string; url: string; message: string; extract?: string; lastLine?: number };

/** The Nu HTML Checker's errors for these files (warnings and info are not errors). */
export async function vnuErrors(files: string[]): Promise<VnuMessage[]> {
  // vnu exits 1 when it reports errors; its JSON report is on stderr either way.
  const run = await promisify(execFile)("java", ["-Xss8m", "-jar", vnuJar, "--format", "json", "--errors-only", ...files], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stderr?: string; code?: number | string }) => {
      if (error.code === "ENOENT") throw new Error("Java is missing: install it (apt-get install -y default-jre-headless) to run the Nu HTML Checker.");
      return { stderr: error.stderr ?? "" };
    },
  );
  const report = JSON.parse(run.stderr) as { messages: VnuMessage[] };
  return report.messages.filter((m) => m.type === "error" || m.subType === "fatal");
}
