/**
 * What a server action answers its form: a message or an error in words, the
 * short fields echoed back (so a refused form keeps what was typed), and the
 * action's own typed data. Safe to import from client components.
 */
export type FormState<D = undefined> = {
  ok?: boolean;
  message?: string;
  error?: string;
  /** The field the error is about, when it is about one. */
  field?: string;
  fields?: Record<string, string>;
  data?: D;
};
