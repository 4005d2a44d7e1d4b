/**
 * V8 options for the wiki's long-running Node.js processes below the front
 * server: the application server (scripts/server.ts forks it) and the CPU
 * workers (lib/workers/pool.ts).
 *
 * `--heap-growing-percent=50`: after a full collection V8 lets the heap grow
 * to 1.5 times what survived before collecting again, instead of up to four
 * times when collections look cheap. Measured on the scale benchmark's reads
 * (docs/performance.md, "Memory"): the application server peaked at about
 * 225 MiB instead of 315-340 with the same CPU time, and a worker rendering
 * 250 KB pages at about 110 MiB instead of 150-165, for 15-20% more CPU on
 * those worst renders.
 */
export const HEAP_FLAGS: readonly string[] = ["--heap-growing-percent=50"];
