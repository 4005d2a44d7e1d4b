// The bundles of scripts/build-worker.ts are server code: "server-only" (a guard against client bundles) means nothing there.
export {};
