import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, apiRequest } from "../api/client.ts";
import { Button } from "../components/Button.tsx";
import { TextField } from "../components/Field.tsx";
import { FormError } from "../components/FormError.tsx";
import { meQuery } from "../features/auth/session.ts";

type CreateWorkspaceFormProps = {
  /** Called with the new workspace; without it, the session is only reloaded (it then lists it). */
  onCreated?: (workspace: { id: string; name: string }) => void;
};

/** Creates a workspace with the signed-in user as its admin (shown to a user without one, and in the account menu). */
export function CreateWorkspaceForm({ onCreated }: CreateWorkspaceFormProps) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => apiRequest<{ id: string; name: string }>("/workspaces", { method: "POST", body: { name } }),
    onSuccess: async (workspace) => {
      await client.invalidateQueries({ queryKey: meQuery.queryKey });
      onCreated?.(workspace);
    },
  });
  // A refusal about the name lands on the field; any other (the per-user cap, an outage) below it.
  const nameError =
    create.error instanceof ApiProblem ? create.error.fieldErrors.find((e) => e.path === "name")?.message : undefined;
  const formError = create.error && !nameError ? create.error.message : undefined;
  return (
    <form
      className="flex w-full max-w-sm flex-col gap-2 text-left"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <TextField
        label={t("shell.createWorkspace.name")}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={nameError}
      />
      <FormError message={formError} />
      <Button type="submit" variant="primary" disabled={create.isPending}>
        {t("shell.createWorkspace.submit")}
      </Button>
    </form>
  );
}
