export { mailRoutes } from "./mail.routes.ts";
export { sendMail, type Mail, type MailDeps } from "./mail.service.ts";
