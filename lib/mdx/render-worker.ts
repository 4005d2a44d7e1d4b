import { parentPort } from "node:worker_threads";
import { MdxValidationError, renderBody } from "./render";

export type RenderRequest = { id: number; body: string };
export type RenderResponse =
  | { id: number; ok: true; html: string; toc: { depth: number; id: string; text: string }[] }
  | { id: number; ok: false; kind: "invalid" | "failed"; message: string };

// Runs in a worker thread so a slow or hostile page cannot block requests;
// the pool terminates this thread when a render overruns its budget.
parentPort?.on("message", async ({ id, body }: RenderRequest) => {
  let response: RenderResponse;
  try {
    const { html, toc } = await renderBody(body);
    response = { id, ok: true, html, toc };
  } catch (error) {
    response = {
      id,
      ok: false,
      kind: error instanceof MdxValidationError ? "invalid" : "failed",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(response);
});
