import { useMutation } from "@tanstack/react-query";
import type { SignUp } from "../../../shared/schemas/auth.ts";
import { apiRequest } from "../../api/client.ts";

/** The answer to sign-up and forgot-password: the same whether the e-mail is registered or not. */
export type CheckYourEmail = { status: "check-your-email" };

// These calls are made signed out: a 401 is theirs to show, not an expired session.
const signedOut = { method: "POST", isSignIn: true } as const;

/** Signs up: 202 and an e-mail with a verification link; 403 while sign-up is closed. */
export function useSignUp() {
  return useMutation({
    mutationFn: (body: SignUp) => apiRequest<CheckYourEmail>("/auth/sign-up", { ...signedOut, body }),
    // The form shows every refusal itself (at its field, or above the button): no toast as well.
    onError: () => undefined,
  });
}

/** Follows a verification link: creates the account (and its workspace) or marks the address verified. */
export function verifyEmail(token: string): Promise<{ email: string }> {
  return apiRequest<{ email: string }>("/auth/verify-email", { ...signedOut, body: { token } });
}

/** Asks for a password reset link; answers alike for any address. */
export function useForgotPassword() {
  return useMutation({
    mutationFn: (email: string) =>
      apiRequest<CheckYourEmail>("/auth/forgot-password", { ...signedOut, body: { email } }),
    // The form shows every refusal itself (at its field, or above the button): no toast as well.
    onError: () => undefined,
  });
}

/** Sets a new password with a reset link's token; every session of the account ends. */
export function useResetPassword() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      apiRequest<void>("/auth/reset-password", { ...signedOut, body }),
    // The form shows every refusal itself (at its field, or above the button): no toast as well.
    onError: () => undefined,
  });
}
