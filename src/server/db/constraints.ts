import { AppError } from "../lib/errors.ts";

/**
 * What a broken constraint means to the API caller, by constraint name. The database enforces
 * uniqueness and same-workspace references; this table turns its refusals into field errors.
 */
const constraintMeanings: Record<string, { type: "duplicate" | "validation"; path: string; message: string }> = {
  users_email_lower_idx: { type: "duplicate", path: "email", message: "An account with this e-mail already exists" },
  memberships_workspace_id_user_id_key: { type: "duplicate", path: "userId", message: "Already a member" },
  companies_workspace_id_name_lower_idx: {
    type: "duplicate",
    path: "name",
    message: "A company with this name already exists",
  },
  contacts_workspace_id_email_lower_idx: {
    type: "duplicate",
    path: "email",
    message: "A contact with this e-mail already exists",
  },
  contacts_workspace_id_phone_idx: {
    type: "duplicate",
    path: "phone",
    message: "A contact with this phone number already exists",
  },
  pipelines_workspace_id_default_idx: {
    type: "duplicate",
    path: "isDefault",
    message: "Another pipeline became the default at the same time",
  },
  pipelines_workspace_id_name_lower_idx: {
    type: "duplicate",
    path: "name",
    message: "A pipeline with this name already exists",
  },
  saved_views_workspace_id_owner_id_resource_name_idx: {
    type: "duplicate",
    path: "name",
    message: "You already have a view of this list with this name",
  },
  saved_views_workspace_id_resource_shared_name_idx: {
    type: "duplicate",
    path: "name",
    message: "A shared view of this list already has this name",
  },
  companies_owner_fk: { type: "validation", path: "ownerId", message: "No such user in this workspace" },
  contacts_owner_fk: { type: "validation", path: "ownerId", message: "No such user in this workspace" },
  leads_owner_fk: { type: "validation", path: "ownerId", message: "No such user in this workspace" },
  deals_owner_fk: { type: "validation", path: "ownerId", message: "No such user in this workspace" },
  tasks_assignee_fk: { type: "validation", path: "assigneeId", message: "No such user in this workspace" },
  saved_views_owner_fk: { type: "validation", path: "ownerId", message: "No such user in this workspace" },
  contacts_company_fk: { type: "validation", path: "companyId", message: "No such company" },
  leads_company_fk: { type: "validation", path: "companyId", message: "No such company" },
  deals_company_fk: { type: "validation", path: "companyId", message: "No such company" },
  activities_company_fk: { type: "validation", path: "companyId", message: "No such company" },
  tasks_company_fk: { type: "validation", path: "companyId", message: "No such company" },
  lead_contacts_contact_fk: { type: "validation", path: "contacts", message: "No such contact" },
  deals_contact_fk: { type: "validation", path: "contactId", message: "No such contact" },
  activities_contact_fk: { type: "validation", path: "contactId", message: "No such contact" },
  tasks_contact_fk: { type: "validation", path: "contactId", message: "No such contact" },
  deals_lead_fk: { type: "validation", path: "leadId", message: "No such lead" },
  activities_lead_fk: { type: "validation", path: "leadId", message: "No such lead" },
  tasks_lead_fk: { type: "validation", path: "leadId", message: "No such lead" },
  activities_deal_fk: { type: "validation", path: "dealId", message: "No such deal" },
  tasks_deal_fk: { type: "validation", path: "dealId", message: "No such deal" },
  deals_pipeline_fk: { type: "validation", path: "pipelineId", message: "No such pipeline" },
  deals_stage_fk: { type: "validation", path: "stageId", message: "No such stage in this pipeline" },
  task_dependencies_depends_on_fk: { type: "validation", path: "dependsOn", message: "No such task" },
};

type DatabaseError = { code: string; constraint?: string; detail?: string };

/** Finds the PostgreSQL error inside a driver or Drizzle wrapper. */
export function findDatabaseError(error: unknown): DatabaseError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown };
    // A SQLSTATE has five characters, at least one a digit (EPIPE is a socket error, not one).
    if (typeof candidate.code === "string" && /^(?=.*\d)[0-9A-Z]{5}$/.test(candidate.code)) {
      return candidate as DatabaseError;
    }
    current = candidate.cause;
  }
  return null;
}

/** Translates a database error into an AppError by SQLSTATE, or null when it is not the caller's fault. */
export function translateDatabaseError(error: unknown): AppError | null {
  const found = findDatabaseError(error);
  if (!found) return null;
  const meaning = found.constraint ? constraintMeanings[found.constraint] : undefined;
  switch (found.code) {
    case "23505": // unique_violation
      return meaning
        ? new AppError("duplicate", `${meaning.message}.`, [{ path: meaning.path, message: meaning.message }])
        : new AppError("duplicate");
    case "23503": // foreign_key_violation
      return meaning
        ? new AppError("validation", `${meaning.message}.`, [{ path: meaning.path, message: meaning.message }])
        : new AppError("validation", "A referenced record does not exist.");
    case "23514": // check_violation
    case "22P02": // invalid_text_representation
    case "22003": // numeric_value_out_of_range
    case "22001": // string_data_right_truncation
    case "22007": // invalid_datetime_format
    case "22008": // datetime_field_overflow
    case "22021": // character_not_in_repertoire (a NUL byte that got past the input guard)
    case "22P05": // untranslatable_character
    case "54000": // program_limit_exceeded (a value too long for an index or a tsvector)
      return new AppError("validation", "A value is out of range or malformed.");
    case "40001": // serialization_failure
    case "40P01": // deadlock_detected
      return new AppError("conflict", "The record was changed at the same time; try again.");
    default:
      return null;
  }
}
