/**
 * `npm run bench -- media-burst`: twelve uploads of a 199 MB sound at once
 * (the adversary's case, against the default 200 MB limit for audio and
 * video), on a wiki of its own. It reports what the wiki answered to each,
 * how long the burst took, and the peak memory of the wiki's processes:
 * the whole tree (PSS, each page counted once), the application server's and
 * the front server's RSS. BENCH_BURST_COUNT and BENCH_BURST_MB change the
 * burst. The bodies are made as they are sent (test/support/upload-burst.ts).
 */
import os from "node:os";
import { createApiToken } from "@/lib/auth/tokens";
import { connect } from "@/lib/db/client";
import { createUserAsOperator } from "@/lib/users/accounts";
import { createTestDatabase } from "../test/support/test-database";
import { sendUpload, uploadBurst } from "../test/support/upload-burst";
import { startApp } from "./http";
import { report } from "./lib";

const COUNT = Number(process.env.BENCH_BURST_COUNT ?? 12);
const BYTES = Number(process.env.BENCH_BURST_MB ?? 199) * 1_000_000;

export async function benchMediaBurst(): Promise<void> {
  const database = await createTestDatabase("propagate_bench_burst");
  const { db, sql } = connect(database.url, 2);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const user = await createUserAsOperator(db, { name: "Burst Bench", email: "burst@bench.example", role: "editor" });
    const { token } = await createApiToken(db, user.id, "bench", "write");
    // The quota would stop one person's twelfth 199 MB file; the burst is about memory.
    app = await startApp({ DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789", MEDIA_QUOTA_MB: "100000", TRUST_PROXY: "on" });
    // Start the media lane and load its parsers, as a running wiki has.
    const warm = await sendUpload(app.base, token, "Warm up.wav", 2_000_000, 200);
    if (warm.status !== 201) throw new Error(`the warm-up upload answered ${warm.status}: ${warm.body}`);
    const loadBefore = os.loadavg();
    // Each from an address of its own: one address holds at most one largest upload's worth of the front's budget.
    const burst = await uploadBurst({ base: app.base, token, pid: app.child.pid!, count: COUNT, bytes: BYTES, clients: true });
    const statuses: Record<string, number> = {};
    for (const status of burst.statuses) statuses[status] = (statuses[status] ?? 0) + 1;
    report(
      "media-burst",
      [
        { what: "before the burst", ...burst.before },
        { what: "peak during the burst", ...burst.peak },
      ],
      {
        uploads: COUNT,
        bytesEach: BYTES,
        statuses,
        // What the answers other than 201 said (0: the connection failed first, with its error's code).
        refusals: burst.statuses.map((status, i) => ({ status, said: burst.bodies[i]!.slice(0, 160) })).filter((a) => a.status !== 201),
        burstMs: burst.ms, loadAverageBefore: loadBefore.map((n) => +n.toFixed(2)), loadAverageAfter: os.loadavg().map((n) => +n.toFixed(2)),
      },
    );
  } finally {
    await app?.stop();
    await sql.end({ timeout: 5 });
    await database.drop();
  }
}
