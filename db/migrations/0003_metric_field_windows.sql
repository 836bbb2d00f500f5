CREATE TABLE "metric_field_window" (
	"workspace_id" bigint NOT NULL,
	"field" text NOT NULL,
	"dormancy_days" integer NOT NULL,
	CONSTRAINT "metric_field_window_workspace_id_field_pk" PRIMARY KEY("workspace_id","field")
);
