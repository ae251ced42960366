import type { FieldError } from "../../../shared/schemas/problem.ts";
import type { SavedView, ViewResource } from "../../../shared/schemas/saved-view.ts";
import { buildFilter, operatorsOf } from "../../db/filters.ts";
import { fieldOf, parseListRequest, type ListSpec } from "../../db/listing.ts";
import { AppError } from "../../lib/errors.ts";
import { activitiesListSpec } from "../activities/index.ts";
import { companiesListSpec } from "../companies/index.ts";
import { contactsListSpec } from "../contacts/index.ts";
import { dealsListSpec } from "../deals/index.ts";
import { leadsListSpec } from "../leads/index.ts";
import { tasksListSpec } from "../tasks/index.ts";

/** The list each kind of view belongs to: its filters, sorts and search are the view's to use. */
const listSpecs: Record<ViewResource, ListSpec> = {
  contacts: contactsListSpec,
  companies: companiesListSpec,
  leads: leadsListSpec,
  deals: dealsListSpec,
  activities: activitiesListSpec,
  tasks: tasksListSpec,
};

type Definition = Partial<Pick<SavedView, "filters" | "sort" | "columns" | "q">>;

/**
 * Checks the parts of a view that are given against its list, as that list would check the same
 * request (a saved view is a list request kept for later): known fields, operators that apply to
 * them, well-formed values, sortable fields, Throws 400 naming each bad part.
 */
export function assertViewFitsList(resource: ViewResource, definition: Definition, actorId: string): void {
  const spec = listSpecs[resource];
  const errors: FieldError[] = [];
  if (definition.filters) checkFilters(spec, definition.filters, actorId, errors);
  if (definition.sort || definition.q) {
    try {
      parseListRequest(spec, { sort: definition.sort ?? undefined, q: definition.q ?? undefined }, actorId);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      errors.push(...(error.errors ?? []));
    }
  }
  if (errors.length > 0) throw new AppError("validation", `This view does not fit the ${resource} list.`, errors);
}

function checkFilters(spec: ListSpec, filters: SavedView["filters"], actorId: string, errors: FieldError[]): void {
  const seen = new Set<string>();
  filters.forEach(({ field, op, value }, index) => {
    const path = `filters.${index}`;
    if (seen.has(`${field} ${op}`)) {
      errors.push({ path: `${path}.op`, message: "This field already has a filter with this operator" });
      return;
    }
    seen.add(`${field} ${op}`);
    if (field === "deleted" && spec.table.deletedAt) {
      if (op !== "eq") errors.push({ path: `${path}.op`, message: "The trash filter takes eq only" });
      else if (value !== "true" && value !== "false")
        errors.push({ path: `${path}.value`, message: "Must be true or false" });
      return;
    }
    const definition = fieldOf(spec, field);
    if (!definition) {
      errors.push({ path: `${path}.field`, message: `Unknown field "${field}"` });
      return;
    }
    if (!operatorsOf(definition).includes(op)) {
      errors.push({ path: `${path}.op`, message: `Operator "${op}" does not apply to this field` });
      return;
    }
    buildFilter(definition, op, value, actorId, `${path}.value`, errors);
  });
}
