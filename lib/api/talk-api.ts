import { z } from "zod";

/** The JSON body of a talk post (API). */
export const postBody = z
  .object({
    body: z.string().max(200_000),
    guestName: z.string().max(200).optional(),
    guestUrl: z.string().max(400).optional(),
  })
  .strict();
