import { describe, expect, it, vi } from "vitest";
import type { PluggableList } from "unified";
import { remarkAllowlist } from "@/lib/mdx/remark-allowlist";

// A pipeline someone broke: the allowlist plugin is missing.
vi.mock("@/lib/mdx/pipeline", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/mdx/pipeline")>();
  return {
    ...real,
    pipelineOptions: (...args: Parameters<typeof real.pipelineOptions>) => {
      const options = real.pipelineOptions(...args);
      const remarkPlugins = (options.remarkPlugins ?? []) as PluggableList;
      return { ...options, remarkPlugins: remarkPlugins.filter((p) => !(Array.isArray(p) && p[0] === remarkAllowlist)) };
    },
  };
});

describe("the renderer fails closed", () => {
  it("runs no code the allowlist did not pass in the same compile, even if the plugin is taken out of the pipeline", async () => {
    const { renderBody } = await import("@/lib/mdx/render");
    await expect(renderBody("{globalThis.pwned = true}\n")).rejects.toThrow(/allowlist did not check/);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });
});
