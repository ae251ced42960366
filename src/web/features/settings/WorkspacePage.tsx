import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { useCan } from "../auth/session.ts";
import { workspaceQuery } from "./workspace.api.ts";
import { WorkspaceForm } from "./WorkspaceForm.tsx";

/** Settings → Workspace: name, currency, time zone, formats, lost reasons, access and activity types. Admins only. */
export function WorkspacePage() {
  const { t } = useTranslation();
  const can = useCan();
  const settings = useQuery(workspaceQuery);

  if (!can("update", "workspace")) {
    return (
      <>
        <PageHeader title={t("settings.workspace.title")} />
        <EmptyState title={t("settings.workspace.onlyAdmins")} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t("settings.workspace.title")} />
      {settings.isPending ? (
        <SkeletonRows rows={8} />
      ) : settings.isError ? (
        <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        // A new form for another workspace's settings (switching workspaces), never a stale draft.
        <WorkspaceForm key={settings.data.id} settings={settings.data} />
      )}
    </>
  );
}
