-- Whether a won deal makes its contact a customer (Settings → Workspace); on unless turned off.
ALTER TABLE "workspace_settings" ADD COLUMN "customer_on_won_deal" boolean DEFAULT true NOT NULL;
