CREATE TABLE "overview_snapshots" (
	"workspace_id" bigint NOT NULL,
	"id" bigserial NOT NULL,
	"view" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "overview_snapshots_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
