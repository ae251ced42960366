import { z } from "zod";
import { requiredText } from "./common.ts";

/** What a signed-in person may change of their own account here: their name (1–200 characters, trimmed). */
export const UpdateProfileSchema = z.strictObject({
  name: requiredText(200),
});
export type UpdateProfile = z.infer<typeof UpdateProfileSchema>;
