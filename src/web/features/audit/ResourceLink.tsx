import { Link } from "@tanstack/react-router";
import type { AuditRow } from "./audit.api.ts";
import { recordRouteOf, resourceLabelOf, shortId } from "./audit-labels.ts";

/**
 * What an entry is about: its resource type and id, linked to the record's page when that kind
 * of record has one. `isFullId` shows the whole id (the entry's details), else its start.
 */
export function ResourceLink({ entry, isFullId = false }: { entry: AuditRow; isFullId?: boolean }) {
  if (!entry.resourceType) return <>—</>;
  const label = resourceLabelOf(entry.resourceType);
  if (!entry.resourceId) return <>{label}</>;
  const id = isFullId ? entry.resourceId : shortId(entry.resourceId);
  const route = recordRouteOf(entry.resourceType);
  const text = (
    <>
      {label} <span className="font-mono text-xs">{id}</span>
    </>
  );
  if (!route) return <span title={entry.resourceId}>{text}</span>;
  return (
    <Link
      to={route}
      params={{ id: entry.resourceId }}
      title={entry.resourceId}
      className="text-accent-700 underline dark:text-sky-300"
    >
      {text}
    </Link>
  );
}
