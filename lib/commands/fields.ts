import { z } from "zod";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";

/**
 * Input fields that many commands share, each written once. Every string goes
 * through lib/text.ts's schema; the same schema reads a form (strings) and a
 * JSON body (typed values).
 */

/** A page title or slug as a transport received it (parsed into a Title by the command). */
export const titleField = text({ label: "Title", max: 300, min: 1 });

/** A yes/no field: a JSON boolean, or a checkbox/hidden input ("on", "true", "false"). */
export const flagField = z
  .union([z.boolean(), z.enum(["on", "true", "false"], { error: "Answer true or false." })])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");

/** An optional row id: a number, a numeric string, or empty / null for none. */
export const optionalIdField = z
  .union([z.literal(""), z.null(), idSchema])
  .optional()
  .transform((v) => (typeof v === "number" ? v : null));

export const reasonField = text({ label: "Reason", max: 500, trim: true }).default("");

export const summaryField = text({ label: "Edit summary", max: 500, trim: true }).default("");
