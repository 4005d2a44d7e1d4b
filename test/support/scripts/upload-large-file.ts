/**
 * Run by test/integration/media/upload-killed.test.ts, which kills this
 * process while its upload is being written: upload a large WAV file (bytes
 * spooled to disk, inspected in the media worker, stored chunk by chunk in
 * the save's transaction) as the user given.
 */
import type { CommandContext } from "@/lib/commands/command";
import { uploadFileCommand } from "@/lib/commands/media/upload-file";
import { connect } from "@/lib/db/client";
import { wav } from "../media-files";

const [url, userId, name, bytes] = process.argv.slice(2) as [string, string, string, string];
const { db } = connect(url, 2);
const size = Number(bytes);
const file = wav(Buffer.alloc(size, 0x80));
const ctx: CommandContext = { db, actor: { id: userId, name: "Uploader", role: "editor", blocked: false }, ip: "192.0.2.9", via: "api", siteOrigin: "http://wiki.example" };
console.log("uploading");
await uploadFileCommand.execute(ctx, { name, file });
console.log("uploaded");
process.exit(0);
