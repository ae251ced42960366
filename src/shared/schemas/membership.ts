import { z } from "zod";
import { RoleSchema, UserSchema } from "./auth.ts";

/**
 * What an admin may change of a member: their role, and whether their membership is active.
 * Both are optional; an empty change answers the member as they are.
 */
export const UpdateUserSchema = z.strictObject({
  role: RoleSchema.optional(),
  active: z.boolean().optional().describe("False deactivates the membership: the member sees nothing of the workspace"),
});
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

/** A member as administration answers them: with whether their membership is active. */
export const MemberSchema = UserSchema.extend({
  active: z.boolean().describe("False while an admin has deactivated the membership"),
});
export type Member = z.infer<typeof MemberSchema>;
