import { eq, isNotNull, and } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { hideFileRevisionCommand } from "@/lib/commands/media/hide-file-revision";
import { showFileRevisionCommand } from "@/lib/commands/media/show-file-revision";
import { uploadFileCommand } from "@/lib/commands/media/upload-file";
import { fileUploads } from "@/lib/db/schema";
import { blobStore } from "@/lib/media/blob-store";
import { closePool } from "@/lib/workers/pool";
import { actorOf, run } from "../../support/commands";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";
import { png } from "../../support/media-files";

beforeEach(resetDatabase);
afterAll(closePool);

describe("hiding and showing the same bytes at once (adversary round 2)", () => {
  it("the bytes are served exactly when no upload of them is hidden, whatever order concurrent hides and shows of two names commit in", async () => {
    const db = testDb();
    const author = actorOf(await buildUser(db, { role: "editor" }));
    const moderators = [actorOf(await buildUser(db, { role: "moderator" })), actorOf(await buildUser(db, { role: "moderator" }))];
    const bytes = await png(16, 16, { r: 9, g: 8, b: 7 });
    const a = await run(db, uploadFileCommand, author, { name: "Same A.png", file: bytes });
    const b = await run(db, uploadFileCommand, author, { name: "Same B.png", file: bytes });
    expect(b.sha256).toBe(a.sha256);
    const consistent = async () => {
      const [hiddenUpload] = await db.select({ n: fileUploads.revisionId }).from(fileUploads).where(and(eq(fileUploads.sha256, a.sha256), isNotNull(fileUploads.hiddenAt))).limit(1);
      const blob = await blobStore().stat(db, a.sha256);
      expect(blob?.hiddenAt !== null, "the blob is hidden exactly when an upload of it is").toBe(hiddenUpload !== undefined);
    };
    const settle = (p: Promise<unknown>) => p.then(() => "done", () => "refused");
    for (let round = 0; round < 12; round++) {
      // B hidden, A not: hide A and show B at once; then show A and hide B at once; then both shows at once.
      await settle(run(db, hideFileRevisionCommand, moderators[0]!, { revisionId: b.revision }));
      await Promise.all([settle(run(db, hideFileRevisionCommand, moderators[0]!, { revisionId: a.revision })), settle(run(db, showFileRevisionCommand, moderators[1]!, { revisionId: b.revision }))]);
      await consistent();
      await Promise.all([settle(run(db, showFileRevisionCommand, moderators[0]!, { revisionId: a.revision })), settle(run(db, hideFileRevisionCommand, moderators[1]!, { revisionId: b.revision }))]);
      await consistent();
      await settle(run(db, hideFileRevisionCommand, moderators[0]!, { revisionId: a.revision }));
      await Promise.all([settle(run(db, showFileRevisionCommand, moderators[0]!, { revisionId: a.revision })), settle(run(db, showFileRevisionCommand, moderators[1]!, { revisionId: b.revision }))]);
      await consistent();
      expect((await blobStore().stat(db, a.sha256))?.hiddenAt).toBeNull();
    }
  });
});
