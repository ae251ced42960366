import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  BackupCodes,
  DisableTwoFactor,
  TwoFactorSetup,
  TwoFactorStatus,
} from "../../../shared/schemas/two-factor.ts";
import { apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";

export type TwoFactorStatusRow = Wire<TwoFactorStatus>;

const twoFactorKey = ["two-factor"] as const;

/** Whether my two-factor sign-in is on, since when, and how many backup codes are left. */
export function useTwoFactorStatus() {
  return useQuery({
    queryKey: twoFactorKey,
    queryFn: ({ signal }) => apiRequest<TwoFactorStatusRow>("/me/two-factor", { signal }),
  });
}

/** A new secret and its QR code; nothing changes until a code of it is confirmed. */
export function useSetUpTwoFactor() {
  return useMutation({
    mutationFn: () => apiRequest<TwoFactorSetup>("/me/two-factor/setup", { method: "POST" }),
  });
}

/** Turns two-factor sign-in on with a code of the new secret; answers the backup codes, shown once. */
export function useEnableTwoFactor() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => apiRequest<BackupCodes>("/me/two-factor/enable", { method: "POST", body: { code } }),
    onSuccess: () => client.invalidateQueries({ queryKey: twoFactorKey }),
  });
}

/** Turns two-factor sign-in off with the password and a code (of the app, or a backup code). */
export function useDisableTwoFactor() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DisableTwoFactor) => apiRequest<void>("/me/two-factor/disable", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: twoFactorKey }),
  });
}

/** New backup codes for a code; the old ones stop working. */
export function useReplaceBackupCodes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      apiRequest<BackupCodes>("/me/two-factor/backup-codes", { method: "POST", body: { code } }),
    onSuccess: () => client.invalidateQueries({ queryKey: twoFactorKey }),
  });
}
