CREATE TABLE "metric_pending" (
	"workspace_id" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"subject" text NOT NULL,
	CONSTRAINT "metric_pending_workspace_id_seq_pk" PRIMARY KEY("workspace_id","seq")
);
