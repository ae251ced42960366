import { languages } from "../languages.ts";
import { z } from "zod";
import { roles } from "../permissions.ts";
import { EmailSchema, IdSchema, requiredText } from "./common.ts";

export const SignInSchema = z.strictObject({
  email: z.string().trim().min(1, "Required").max(254),
  password: z.string().min(1, "Required").max(1024),
});
export type SignIn = z.infer<typeof SignInSchema>;

export const RoleSchema = z.enum(roles);

export const WorkspaceSummarySchema = z.object({
  id: IdSchema,
  name: z.string(),
  role: RoleSchema,
});

/** The signed-in user, their workspaces and the active one. */
export const MeSchema = z.object({
  user: z.object({
    id: IdSchema,
    email: z.string(),
    name: z.string(),
    locale: z.enum(languages).nullable().describe("The interface language chosen; null: the browser's"),
  }),
  workspaces: z.array(WorkspaceSummarySchema),
  activeWorkspaceId: IdSchema.nullable(),
  role: RoleSchema.nullable(),
});
export type Me = z.infer<typeof MeSchema>;

/** The answer to a right password when two-factor sign-in is on: a code is needed next. */
export const TwoFactorRequiredSchema = z.object({
  twoFactorRequired: z.literal(true).describe("Send a code to POST /api/v1/auth/two-factor to finish signing in"),
});

/** The answer to sign-in: the signed-in user, or the request for a second factor. */
export const SignInResultSchema = z.union([MeSchema, TwoFactorRequiredSchema]);
export type SignInResult = z.infer<typeof SignInResultSchema>;

/** What the sign-in page needs to know before anyone signs in. */
export const AuthOptionsSchema = z.object({
  demoAccounts: z.array(z.object({ email: z.string(), name: z.string(), role: RoleSchema })),
  demoPassword: z.string().nullable(),
});
export type AuthOptions = z.infer<typeof AuthOptionsSchema>;

export const SwitchWorkspaceSchema = z.strictObject({ workspaceId: IdSchema });

export const CreateWorkspaceSchema = z.strictObject({
  name: requiredText(100),
  baseCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, "Must be a 3-letter ISO 4217 code")
    .optional(),
});

export const WorkspaceSchema = z.object({
  id: IdSchema,
  name: z.string(),
  baseCurrency: z.string(),
  role: RoleSchema,
  createdAt: z.date(),
});

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  joinedAt: z.date(),
});
export type User = z.infer<typeof UserSchema>;

/** A password being set: 12–128 characters. The server also refuses common and guessable ones. */
export const NewPasswordSchema = z
  .string()
  .min(12, "Must be at least 12 characters")
  .max(128, "Must be at most 128 characters");

/** A secret token from an e-mailed link. */
export const AccountTokenSchema = z.string().min(1, "Required").max(200);

export const SignUpSchema = z.strictObject({
  name: requiredText(100),
  email: EmailSchema,
  password: NewPasswordSchema,
  workspaceName: requiredText(100),
});
export type SignUp = z.infer<typeof SignUpSchema>;

/** The answer to sign-up and forgot-password, the same whether the e-mail is known or not. */
export const CheckYourEmailSchema = z.object({ status: z.literal("check-your-email") });

export const VerifyEmailSchema = z.strictObject({ token: AccountTokenSchema });
export const VerifiedEmailSchema = z.object({ email: z.string() });

export const ForgotPasswordSchema = z.strictObject({ email: EmailSchema });

export const ResetPasswordSchema = z.strictObject({ token: AccountTokenSchema, password: NewPasswordSchema });

export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, "Required").max(1024),
  newPassword: NewPasswordSchema,
});
