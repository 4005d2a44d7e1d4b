import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { text } from "@/lib/text";

// The recipe's inputs are the request headers, cookies and the actor; all are stand-ins here.
const request = { headers: new Headers() };
const revalidated: string[] = [];
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => revalidated.push(path) }));
vi.mock("@/lib/auth/session", () => ({ currentActor: async () => ({ id: "u1", name: "Tool", role: "editor", blocked: false }) }));
vi.mock("@/lib/db", () => ({ getDb: () => ({}) }));
vi.mock("@/lib/events/effects", async (original) => ({ ...(await original<object>()), publish: async () => {} }));

const { formAction } = await import("@/lib/edge/form");
const { defineCommand } = await import("@/lib/commands/command");

function fakeCommand() {
  const run = vi.fn(async (_ctx: unknown, input: { name: string }, emit: (e: { type: "page.rated"; slug: string }) => void) => {
    emit({ type: "page.rated", slug: "Adoption" });
    return { said: input.name };
  });
  const command = defineCommand({ name: "fake", input: z.object({ name: text({ label: "Name", max: 50, min: 1 }) }), run });
  return { run, action: formAction(command, { present: (r) => ({ ok: true, message: r.said }) }) };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

describe("the server-action edge", () => {
  beforeEach(() => {
    delete process.env.PUBLIC_URL;
    revalidated.length = 0;
  });

  it("refuses a form sent with an API token, before the command runs (tokens act through the JSON API)", async () => {
    request.headers = new Headers({ host: "wiki.example", origin: "http://wiki.example", authorization: "Bearer prop_readonly" });
    const { run, action } = fakeCommand();
    const state = await action({}, form({ name: "x" }));
    expect(state.error).toMatch(/JSON API/);
    expect(run).not.toHaveBeenCalled();
  });

  it.each([
    ["no Origin", { host: "wiki.example" }],
    ["another site", { host: "wiki.example", origin: "http://evil.example" }],
    ["Origin: null", { host: "wiki.example", origin: "null" }],
    ["a spoofed X-Forwarded-Host without a trusted proxy", { host: "wiki.example", origin: "http://evil.example", "x-forwarded-host": "evil.example" }],
    ["a prefetch header", { host: "wiki.example", origin: "http://evil.example", purpose: "prefetch", "next-router-prefetch": "1" }],
    ["Sec-Fetch-Site: cross-site", { host: "wiki.example", origin: "http://wiki.example", "sec-fetch-site": "cross-site" }],
  ])("refuses a form from %s, and the command never runs", async (_name, h) => {
    request.headers = new Headers(h as Record<string, string>);
    const { run, action } = fakeCommand();
    const state = await action({}, form({ name: "x" }));
    expect(state.error).toMatch(/another site/);
    expect(run).not.toHaveBeenCalled();
  });

  it("refuses a NUL in a field with a message naming the field, and keeps what was typed", async () => {
    request.headers = new Headers({ host: "wiki.example", origin: "http://wiki.example" });
    const { run, action } = fakeCommand();
    const state = await action({}, form({ name: "a\u0000b" }));
    expect(state.error).toMatch(/Name contains a control character \(U\+0000\)/);
    expect(state.fields).toEqual({ name: "a\u0000b" });
    expect(run).not.toHaveBeenCalled();
  });

  it("runs the command for a same-site form, presents its result and revalidates what its events changed", async () => {
    request.headers = new Headers({ host: "wiki.example", origin: "http://wiki.example" });
    const { run, action } = fakeCommand();
    expect(await action({}, form({ name: "x" }))).toEqual({ ok: true, message: "x" });
    expect(run).toHaveBeenCalledTimes(1);
    expect(revalidated).toContain("/wiki/Adoption");
  });
});
