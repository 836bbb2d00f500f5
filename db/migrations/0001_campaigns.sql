CREATE TABLE "campaign_batches" (
	"workspace_id" bigint NOT NULL,
	"campaign_id" text NOT NULL,
	"batch" integer NOT NULL,
	"delivery_id" text NOT NULL,
	"recipients" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "campaign_batches_workspace_id_campaign_id_batch_pk" PRIMARY KEY("workspace_id","campaign_id","batch")
);
--> statement-breakpoint
CREATE TABLE "campaign_deliveries" (
	"workspace_id" bigint NOT NULL,
	"id" bigserial NOT NULL,
	"campaign_id" text NOT NULL,
	"batch" integer NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_deliveries_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "campaign_recipients" (
	"workspace_id" bigint NOT NULL,
	"campaign_id" text NOT NULL,
	"subject" text NOT NULL,
	"holdout" boolean NOT NULL,
	"batch" integer,
	"confirmed_at" timestamp with time zone,
	"confirmed_event_id" text,
	"outcome" text,
	CONSTRAINT "campaign_recipients_workspace_id_campaign_id_subject_pk" PRIMARY KEY("workspace_id","campaign_id","subject")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"workspace_id" bigint NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"field" text NOT NULL,
	"purpose" text,
	"region" text,
	"channel" text,
	"action" text NOT NULL,
	"holdout_percent" integer DEFAULT 10 NOT NULL,
	"message" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_by" text,
	"submitted_by_user_id" bigint,
	"submitted_at" timestamp with time zone,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_comment" text,
	"launched_by" text,
	"launched_at" timestamp with time zone,
	"audience_count" integer,
	"holdout_count" integer,
	"completed_at" timestamp with time zone,
	"cancelled_by" text,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "campaigns_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE INDEX "campaign_deliveries_campaign_idx" ON "campaign_deliveries" USING btree ("workspace_id","campaign_id","at");--> statement-breakpoint
CREATE INDEX "campaigns_recent_idx" ON "campaigns" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "campaigns_launched_idx" ON "campaigns" USING btree ("workspace_id","launched_at");