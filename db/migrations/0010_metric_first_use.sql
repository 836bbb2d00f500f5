CREATE TABLE "metric_first_use" (
	"workspace_id" bigint NOT NULL,
	"subject" text NOT NULL,
	"field" text NOT NULL,
	"collected_at" bigint NOT NULL,
	"context" text NOT NULL,
	"used_at" bigint,
	"region" text NOT NULL,
	"channel" text NOT NULL,
	"vf" bigint NOT NULL,
	"vt" bigint NOT NULL,
	CONSTRAINT "metric_first_use_workspace_id_subject_field_vf_pk" PRIMARY KEY("workspace_id","subject","field","vf")
);
--> statement-breakpoint
CREATE INDEX "metric_first_use_period" ON "metric_first_use" USING btree ("workspace_id","field","collected_at");--> statement-breakpoint
CREATE INDEX "events_bulk_use_idx" ON "events" USING btree ("workspace_id","field","occurred_at") WHERE "events"."subject" IS NULL AND "events"."type" = 'data.used';