import { z } from "zod";

/** How many backup codes a user gets at a time. */
export const backupCodeCount = 10;

/** A 6-digit code of an authenticator app (spaces allowed: "123 456"). */
export const TotpCodeSchema = z.string().trim().min(1, "Required").max(20, "At most 20 characters");

/** A code of an authenticator app or a backup code (`xxxxx-xxxxx`), wherever either proves the second factor. */
export const SecondFactorCodeSchema = z.string().trim().min(1, "Required").max(40, "At most 40 characters");

/** The signed-in user's two-factor sign-in. */
export const TwoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.date().nullable(),
  backupCodesLeft: z.number().int().describe("Unused backup codes; 0 while two-factor sign-in is off"),
});
export type TwoFactorStatus = z.infer<typeof TwoFactorStatusSchema>;

/** A new TOTP secret to add to an authenticator app; it takes effect once a code of it confirms it. */
export const TwoFactorSetupSchema = z.object({
  secret: z.string().describe("The secret in base32, for typing into an app by hand"),
  otpauthUrl: z.string().describe("The otpauth:// URI the QR code holds"),
  qrSvg: z.string().describe("The QR code of otpauthUrl as an SVG document"),
});
export type TwoFactorSetup = z.infer<typeof TwoFactorSetupSchema>;

export const EnableTwoFactorSchema = z.strictObject({ code: TotpCodeSchema });
export type EnableTwoFactor = z.infer<typeof EnableTwoFactorSchema>;

export const DisableTwoFactorSchema = z.strictObject({
  password: z.string().min(1, "Required").max(1024),
  code: SecondFactorCodeSchema.describe("A code of the authenticator app or a backup code"),
});
export type DisableTwoFactor = z.infer<typeof DisableTwoFactorSchema>;

export const ReplaceBackupCodesSchema = z.strictObject({
  code: SecondFactorCodeSchema.describe("A code of the authenticator app or a backup code"),
});
export type ReplaceBackupCodes = z.infer<typeof ReplaceBackupCodesSchema>;

/** New backup codes: shown this once, only their SHA-256 is kept. */
export const BackupCodesSchema = z.object({
  backupCodes: z.array(z.string()).length(backupCodeCount).describe("Single-use codes, `xxxxx-xxxxx`"),
});
export type BackupCodes = z.infer<typeof BackupCodesSchema>;

/** The second step of a sign-in with two-factor on: exactly one of `code` and `backupCode`. */
export const TwoFactorSignInSchema = z
  .strictObject({
    code: TotpCodeSchema.optional().describe("The 6-digit code of the authenticator app"),
    backupCode: SecondFactorCodeSchema.optional().describe("One of the backup codes, `xxxxx-xxxxx`"),
  })
  .superRefine((value, context) => {
    if (value.code === undefined && value.backupCode === undefined) {
      context.addIssue({ code: "custom", path: ["code"], message: "Give the code of your app, or a backup code" });
    } else if (value.code !== undefined && value.backupCode !== undefined) {
      context.addIssue({ code: "custom", path: ["backupCode"], message: "Give a code or a backup code, not both" });
    }
  });
export type TwoFactorSignIn = z.infer<typeof TwoFactorSignInSchema>;
