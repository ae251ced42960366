export { contactsRoutes } from "./contacts.routes.ts";
export { contactsListSpec, toContact } from "./contacts.repository.ts";
export { contacts } from "./contacts.table.ts";
export { contactType } from "./contacts.service.ts";
