-- The interface language a person chose in their profile (PATCH /me { locale }); null follows the
-- browser's. Validated by the API against the languages the web app speaks.
ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "locale" text;
