import { z } from "zod";
import { languages } from "../languages.ts";
import { requiredText } from "./common.ts";

/**
 * What a signed-in person may change of their own account here: their name (1–200 characters,
 * trimmed) and the interface's language (`null`: their browser's). Each is optional; what is left
 * out stays as it is.
 */
export const UpdateProfileSchema = z.strictObject({
  name: requiredText(200).optional(),
  locale: z
    .enum(languages)
    .nullable()
    .optional()
    .describe(`The interface language (${languages.join(", ")}); null follows the browser's`),
});
export type UpdateProfile = z.infer<typeof UpdateProfileSchema>;
