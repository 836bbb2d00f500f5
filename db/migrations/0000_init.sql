CREATE SEQUENCE "public"."event_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "fields" (
	"workspace_id" bigint NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"sensitivity" text DEFAULT 'medium' NOT NULL,
	"dormancy_days" integer DEFAULT 180 NOT NULL,
	"purposes" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'undeclared' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fields_workspace_id_key_pk" PRIMARY KEY("workspace_id","key")
);
--> statement-breakpoint
CREATE TABLE "purposes" (
	"workspace_id" bigint NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"value_promise" text,
	"legal_basis" text,
	"status" text DEFAULT 'undeclared' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purposes_workspace_id_key_pk" PRIMARY KEY("workspace_id","key")
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"trust_weights" jsonb,
	"signal_mapping" jsonb,
	"webhook_url" text,
	"webhook_secret" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_daily" (
	"workspace_id" bigint NOT NULL,
	"day" date NOT NULL,
	"type" text NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"events" bigint DEFAULT 0 NOT NULL,
	"last_occurred_at" timestamp with time zone NOT NULL,
	"last_received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_daily_workspace_id_day_type_source_pk" PRIMARY KEY("workspace_id","day","type","source")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"workspace_id" bigint NOT NULL,
	"id" text NOT NULL,
	"seq" bigint DEFAULT nextval('event_seq') NOT NULL,
	"type" text NOT NULL,
	"subject" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"purpose" text,
	"field" text,
	"source" text,
	"channel" text,
	"region" text,
	"context" text,
	"value_kind" text,
	"value_amount" numeric,
	"value_currency" text,
	"score" smallint,
	"request" text,
	"campaign" text,
	"properties" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "rejected_events" (
	"workspace_id" bigint NOT NULL,
	"seq" bigint DEFAULT nextval('event_seq') NOT NULL,
	"event_id" text,
	"via" text NOT NULL,
	"errors" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rejected_events_workspace_id_seq_pk" PRIMARY KEY("workspace_id","seq")
);
--> statement-breakpoint
CREATE TABLE "subjects" (
	"workspace_id" bigint NOT NULL,
	"subject" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"event_count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "subjects_workspace_id_subject_pk" PRIMARY KEY("workspace_id","subject")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" bigint NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"workspace_id" bigint NOT NULL,
	"id" bigserial NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"details" jsonb,
	"ip" text,
	CONSTRAINT "audit_log_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"workspace_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"password_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "workspaces_slug_key" ON "workspaces" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "events_subject_order_idx" ON "events" USING btree ("workspace_id","subject","occurred_at","seq");--> statement-breakpoint
CREATE INDEX "events_purpose_type_time_idx" ON "events" USING btree ("workspace_id","purpose","type","occurred_at");--> statement-breakpoint
CREATE INDEX "events_field_type_time_idx" ON "events" USING btree ("workspace_id","field","type","occurred_at");--> statement-breakpoint
CREATE INDEX "events_type_time_idx" ON "events" USING btree ("workspace_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "rejected_events_recent_idx" ON "rejected_events" USING btree ("workspace_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_workspace_idx" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "audit_log_recent_idx" ON "audit_log" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");