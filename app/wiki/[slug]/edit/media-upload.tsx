"use client";

import { useRef, useState } from "react";
import { acceptedExtensions } from "@/lib/media/file-types";

type Uploaded = { title: string; type: string };

/** The MDX that shows an uploaded file where the cursor is. */
export function snippetFor(file: Uploaded): string {
  if (file.type.startsWith("image/")) return `<Figure src="${file.title}" alt="Describe the picture" caption="" />`;
  if (file.type.startsWith("audio/")) return `<Audio src="${file.title}" caption="Describe the recording" />`;
  if (file.type.startsWith("video/")) return `<Video src="${file.title}" caption="Describe the video" />`;
  return `[[${file.title}]]`;
}

/** A pasted picture has no name of its own (browsers call it image.png): give it one that no other file has. */
function nameOf(file: File, pasted: boolean): string {
  if (!pasted) return file.name;
  const ending = file.type === "image/jpeg" ? "jpg" : (file.type.split("/")[1] ?? "png");
  return `Pasted ${new Date().toISOString().slice(0, 19).replace("T", " ").replace(/:/g, "-")} ${crypto.randomUUID().slice(0, 6)}.${ending}`;
}

/**
 * Upload files from the editor: a button, dropping files on the zone or on
 * the source, or pasting a picture into the source. Each goes to
 * POST /api/files (its page File:<name> gets a revision) and the editor
 * inserts a Figure, Audio or Video for it at the cursor.
 */
export function useMediaUpload(insert: (snippet: string) => void) {
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const busy = useRef(0);

  async function upload(files: File[], pasted = false) {
    for (const file of files) {
      const name = nameOf(file, pasted);
      busy.current++;
      setStatus({ text: `Uploading ${name}…`, error: false });
      try {
        const form = new FormData();
        form.set("file", file, name);
        form.set("name", name);
        form.set("summary", "Uploaded from the editor");
        const response = await fetch("/api/files", { method: "POST", body: form, credentials: "same-origin" });
        const answer = (await response.json().catch(() => ({}))) as Partial<Uploaded> & { error?: { message?: string } };
        if (!response.ok || !answer.title || !answer.type) {
          setStatus({ text: `${name} was not uploaded: ${answer.error?.message ?? `the server answered ${response.status}`}`, error: true });
          continue;
        }
        insert(snippetFor({ title: answer.title, type: answer.type }));
        setStatus({ text: `Uploaded ${answer.title}; it is inserted in the source.`, error: false });
      } catch {
        setStatus({ text: `${name} was not uploaded: the upload did not reach the server.`, error: true });
      } finally {
        busy.current--;
      }
    }
  }

  return { status, upload };
}

/** The upload button and drop zone, with the outcome of the last upload. */
export function MediaUploadZone({ status, upload }: ReturnType<typeof useMediaUpload>) {
  const [active, setActive] = useState(false);
  return (
    <div
      className="upload-drop"
      data-active={active ? "" : undefined}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes("Files")) return;
        event.preventDefault();
        setActive(true);
      }}
      onDragLeave={() => setActive(false)}
      onDrop={(event) => {
        setActive(false);
        if (event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        void upload([...event.dataTransfer.files]);
      }}
    >
      <label>
        Upload a file (or drop it here, or paste a picture into the source){" "}
        <input
          type="file"
          accept={acceptedExtensions.map((e) => `.${e}`).join(",")}
          multiple
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = "";
            void upload(files);
          }}
        />
      </label>
      <p role="status" className={status?.error ? "form-error" : "hint"}>
        {status?.text ?? ""}
      </p>
    </div>
  );
}
