import { parentPort } from "node:worker_threads";
import { MdxValidationError, renderBody, type TocEntry } from "./render";
import { checkMdxBody, type MdxIssue } from "./validate";

export type WorkerRequest =
  | { id: number; op: "validate"; body: string; lineOffset: number }
  | { id: number; op: "render"; body: string };

export type WorkerResponse =
  | { id: number; ok: true; op: "validate"; issues: MdxIssue[]; links: string[] }
  | { id: number; ok: true; op: "render"; html: string; toc: TocEntry[] }
  | { id: number; ok: false; kind: "invalid" | "failed"; message: string };

// Runs in a worker thread so that parsing or rendering a slow or hostile page
// cannot block requests; the pool terminates this thread when a job overruns.
parentPort?.on("message", async (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    if (request.op === "validate") {
      // The compiler's pipeline checks the body and, when it passes, names its outgoing wiki links.
      const { issues, links } = checkMdxBody(request.body, { lineOffset: request.lineOffset });
      response = { id: request.id, ok: true, op: "validate", issues, links };
    } else {
      const { html, toc } = await renderBody(request.body);
      response = { id: request.id, ok: true, op: "render", html, toc };
    }
  } catch (error) {
    response = {
      id: request.id,
      ok: false,
      kind: error instanceof MdxValidationError ? "invalid" : "failed",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(response);
});
