export { contactsRoutes } from "./contacts.routes.ts";
export { toContact } from "./contacts.repository.ts";
export { contacts } from "./contacts.table.ts";
