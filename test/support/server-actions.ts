import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { signInOrUp } from "./e2e-accounts";

/** The id Next.js gave each server action of this build, by `file#exportedName`. */
export function actionIds(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  return new Map(Object.entries(manifest.node).map(([id, entry]) => [`${entry.filename}#${entry.exportedName}`, id]));
}

/** One server action's id, or a failure naming it. */
export function actionId(file: string, name: string): string {
  const id = actionIds().get(`${file}#${name}`);
  if (!id) throw new Error(`${file}#${name} is not in the build`);
  return id;
}

/**
 * A server action's request as React sends it for `useActionState`: (previous
 * state, form data). The fields come before the root entry: React reads the
 * form's entries in order as it meets "$K1".
 */
export function actionBody(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(`_1_${key}`, value);
  body.set("0", '[{},"$K1"]');
  return body;
}

/** The e2e suite's own administrator (in ADMIN_EMAIL of test/support/global-e2e.ts). */
export const EDGE_ADMIN = { name: "Edge Admin", email: "edge-admin@e2e.example", password: "edge walker admin 2024" };

/** Sign the edge administrator in through the form; the session cookie as a header value. */
export async function adminCookie(browser: Browser, base: string): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInOrUp(page, base, EDGE_ADMIN);
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  await context.close();
  return cookie;
}
