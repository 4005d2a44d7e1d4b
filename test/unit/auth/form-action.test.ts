import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

// The recipe's inputs are the request headers and the actor; both are stand-ins here.
const request = { headers: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => request.headers }));
vi.mock("@/lib/auth/session", () => ({ currentActor: async () => ({ id: "u1", name: "Tool", role: "editor", blocked: false, scope: "read" }) }));

const { formAction } = await import("@/lib/auth/action");

describe("the server-action recipe", () => {
  beforeEach(() => {
    delete process.env.PUBLIC_URL;
  });

  it("refuses a form sent with an API token, before the handler runs (tokens act through the JSON API)", async () => {
    request.headers = new Headers({ host: "wiki.example", origin: "http://wiki.example", authorization: "Bearer prop_readonly" });
    const handler = vi.fn(async () => ({ ok: true }));
    const action = formAction(z.object({ name: z.string() }), handler);
    const form = new FormData();
    form.set("name", "x");
    const state = await action({}, form);
    expect(state.error).toMatch(/JSON API/);
    expect(handler).not.toHaveBeenCalled();
  });

  it("runs the handler for a same-site form without a token", async () => {
    request.headers = new Headers({ host: "wiki.example", origin: "http://wiki.example" });
    const handler = vi.fn(async () => ({ ok: true, message: "done" }));
    const state = await formAction(z.object({ name: z.string() }), handler)({}, Object.assign(new FormData(), {}));
    expect(state.error).toMatch(/./); // no "name": the schema refuses it
    const form = new FormData();
    form.set("name", "x");
    expect(await formAction(z.object({ name: z.string() }), handler)({}, form)).toEqual({ ok: true, message: "done" });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
