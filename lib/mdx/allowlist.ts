import { z } from "zod";
import { env } from "@/lib/env";
import { embedProviderNames, embedSource } from "./embeds";
import { isSafeUrl } from "./url";

// Props are quoted strings only: the validator refuses `{expressions}` before these schemas run.

const text = (max: number) => z.string().max(max);
const requiredText = (max: number) => z.string().min(1, { error: "must not be empty" }).max(max);
const url = () =>
  z
    .string()
    .min(1, { error: "must not be empty" })
    .max(2048)
    .refine(isSafeUrl, { error: "must be an http(s), mailto or site-relative URL" });
/** An uploaded file, by its page's title: `File:Garden.jpg` (resolved to its bytes when the page is viewed). */
const fileRef = () =>
  z
    .string()
    .max(260)
    .regex(/^File:[^"<>[\]{}|#\n]{1,250}$/, { error: 'must name an uploaded file, e.g. "File:Garden.jpg"' });
const fileOrUrl = () => z.union([fileRef(), url()], { error: 'must name an uploaded file ("File:Garden.jpg") or be an http(s) or site-relative URL' });
const pixels = () => z.string().regex(/^\d{1,5}$/, { error: 'must be a whole number of pixels, e.g. "640"' });

/** Each allowlisted component's props, as strict zod schemas (unknown props fail). */
export const componentSchemas = {
  Callout: z
    .object({
      type: z.enum(["note", "tip", "warning"]).optional(),
      title: text(200).optional(),
    })
    .strict(),
  Quote: z
    .object({
      author: requiredText(200),
      source: text(300).optional(),
      href: url().optional(),
      date: text(40).optional(),
    })
    .strict(),
  Comparison: z
    .object({
      tkm: requiredText(1000),
      sl: requiredText(1000),
      title: text(200).optional(),
    })
    .strict(),
  Figure: z
    .object({
      src: fileOrUrl(),
      alt: requiredText(500),
      caption: text(500).optional(),
      width: pixels().optional(),
      height: pixels().optional(),
    })
    .strict(),
  Video: z
    .object({
      src: fileOrUrl(),
      caption: requiredText(500),
      poster: fileOrUrl().optional(),
      title: text(200).optional(),
      captions: fileRef().optional(),
      transcript: text(20_000).optional(),
    })
    .strict(),
  Audio: z
    .object({
      src: fileOrUrl(),
      caption: requiredText(500),
      title: text(200).optional(),
      captions: fileRef().optional(),
      transcript: text(20_000).optional(),
    })
    .strict(),
  Embed: z
    .object({
      provider: z.enum(embedProviderNames as [string, ...string[]], { error: `must be one of ${embedProviderNames.join(", ")}` }),
      id: z.string().min(1, { error: "must not be empty" }).max(2048),
      title: requiredText(200),
      caption: text(500).optional(),
    })
    .strict()
    .superRefine(({ provider, id }, context) => {
      if (!embedProviderNames.includes(provider as never) || embedSource(provider, id, env().PODCAST_HOSTS)) return;
      const message =
        provider === "podcast"
          ? `must be the https address of the episode's audio file on one of the podcast hosts this wiki allows (${env().PODCAST_HOSTS.join(", ") || "none"})`
          : "must be the provider's id of the video or recording (letters, digits, . _ -; not a URL, no `..`)";
      context.addIssue({ code: "custom", path: ["id"], message });
    }),
};

export type ComponentName = keyof typeof componentSchemas;

/** The props a component receives after validation (without `children`). */
export type ComponentProps<N extends ComponentName> = z.infer<(typeof componentSchemas)[N]>;

/** Component names in the order they are listed to authors. */
export const allowedComponentNames = Object.keys(componentSchemas) as readonly ComponentName[];

/** Which props of each component may name an uploaded file (`File:…`): they count as links to its page. */
export const fileProps: { readonly [N in ComponentName]: readonly (keyof ComponentProps<N>)[] } = {
  Callout: [],
  Quote: [],
  Comparison: [],
  Figure: ["src"],
  Video: ["src", "poster", "captions"],
  Audio: ["src", "captions"],
  Embed: [],
};

/** Which props of each component are URLs (checked with `isSafeUrl`). */
export const urlProps: { readonly [N in ComponentName]: readonly (keyof ComponentProps<N>)[] } = {
  Callout: [],
  Quote: ["href"],
  Comparison: [],
  Figure: ["src"],
  Video: ["src", "poster"],
  Audio: ["src"],
  Embed: [],
};

/** Whether a component renders Markdown children; the others must be self-closing. */
export const acceptsChildren: { readonly [N in ComponentName]: boolean } = {
  Callout: true,
  Quote: true,
  Comparison: false,
  Figure: false,
  Video: false,
  Audio: false,
  Embed: false,
};

/** Whether `name` is an allowlisted component name (case-sensitive). */
export function isAllowedComponentName(name: string): name is ComponentName {
  return Object.hasOwn(componentSchemas, name);
}
