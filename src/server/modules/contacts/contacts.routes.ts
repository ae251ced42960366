import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ContactSchema, CreateContactSchema, UpdateContactSchema } from "../../../shared/schemas/contact.ts";
import { registerRecordRoutes } from "../../http/record-routes.ts";
import { contactsListSpec } from "./contacts.repository.ts";
import {
  countContactRows,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  restoreContact,
  updateContact,
} from "./contacts.service.ts";
import { contactType } from "./contacts.service.ts";

/** /contacts: the standard record endpoints. */
export const contactsRoutes: FastifyPluginAsyncZod = async (app) => {
  registerRecordRoutes(app, {
    path: "/contacts",
    tag: "Contacts",
    noun: "contact",
    plural: "contacts",
    history: contactType,
    listSpec: contactsListSpec,
    schemas: { record: ContactSchema, create: CreateContactSchema, update: UpdateContactSchema },
    service: {
      list: listContacts,
      count: countContactRows,
      get: getContact,
      create: createContact,
      update: updateContact,
      delete: deleteContact,
      restore: restoreContact,
    },
    bulk: { resource: "contact", assignField: "ownerId" },
  });
};
