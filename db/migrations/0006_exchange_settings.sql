ALTER TABLE "workspaces" ADD COLUMN "dsar_due_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "control_sources" text[] DEFAULT '{preference_center}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_state" ADD COLUMN "dsar_due_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "metric_state" ADD COLUMN "control_sources" text[] DEFAULT '{preference_center}'::text[] NOT NULL;