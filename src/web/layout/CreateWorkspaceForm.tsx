import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, apiRequest } from "../api/client.ts";
import { Button } from "../components/Button.tsx";
import { TextField } from "../components/Field.tsx";
import { FormError } from "../components/FormError.tsx";
import { meQuery } from "../features/auth/session.ts";

/** Shown to a user without a workspace: creates one with them as its admin. */
export function CreateWorkspaceForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => apiRequest<unknown>("/workspaces", { method: "POST", body: { name } }),
    onSuccess: () => client.invalidateQueries({ queryKey: meQuery.queryKey }),
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
