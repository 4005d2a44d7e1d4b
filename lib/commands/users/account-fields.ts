import { text } from "@/lib/text";

/** A display name as typed (lib/users/accounts.ts normalises and checks it). */
export const nameField = text({ label: "Name", max: 200 });
export const emailField = text({ label: "Email", max: 1000, trim: true });
/** Passwords are checked for strength by lib/auth/password.ts; here only for what no text may hold. */
export const passwordField = (label: string) => text({ label, max: 4096 });
