/**
 * A mail's two parts from one description, so the plain text and the HTML
 * never say different things. Every value is escaped for the HTML part.
 */
export type MailBlock = { text: string } | { link: { label: string; url: string } } | { list: { text: string; url?: string }[] };

export type MailContent = { subject: string; blocks: MailBlock[]; footer?: MailBlock[] };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function blockText(block: MailBlock): string {
  if ("text" in block) return block.text;
  if ("link" in block) return `${block.link.label}:\n${block.link.url}`;
  return block.list.map((item) => (item.url ? `- ${item.text}\n  ${item.url}` : `- ${item.text}`)).join("\n");
}

function blockHtml(block: MailBlock): string {
  if ("text" in block) return `<p>${escapeHtml(block.text)}</p>`;
  if ("link" in block) return `<p><a href="${escapeHtml(block.link.url)}">${escapeHtml(block.link.label)}</a></p>`;
  const items = block.list.map((item) => `<li>${item.url ? `<a href="${escapeHtml(item.url)}">${escapeHtml(item.text)}</a>` : escapeHtml(item.text)}</li>`);
  return `<ul>${items.join("")}</ul>`;
}

/**
 * A subject line from text people wrote (titles, summaries): one line (line
 * breaks and tabs become spaces, so nothing in it reads as another header)
 * of at most `max` characters, never cut inside a character.
 */
export function subjectLine(text: string, max = 200): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

/** The plain-text and HTML parts of a mail. */
export function renderMail(content: MailContent): { subject: string; text: string; html: string } {
  const footer = content.footer ?? [];
  const text = [...content.blocks.map(blockText), ...(footer.length ? ["--", ...footer.map(blockText)] : [])].join("\n\n") + "\n";
  const html = [
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">`,
    ...content.blocks.map(blockHtml),
    ...(footer.length ? [`<hr><div style="font-size: smaller; color: #555">${footer.map(blockHtml).join("")}</div>`] : []),
    `</body></html>`,
  ].join("\n");
  return { subject: content.subject, text, html };
}
