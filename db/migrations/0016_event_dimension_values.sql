CREATE TABLE "event_dimension_values" (
	"workspace_id" bigint NOT NULL,
	"dimension" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "event_dimension_values_workspace_id_dimension_value_pk" PRIMARY KEY("workspace_id","dimension","value")
);
--> statement-breakpoint
INSERT INTO "event_dimension_values" ("workspace_id", "dimension", "value")
SELECT DISTINCT "workspace_id", 'region', "region" FROM "events" WHERE "region" IS NOT NULL
UNION
SELECT DISTINCT "workspace_id", 'channel', "channel" FROM "events" WHERE "channel" IS NOT NULL
UNION
SELECT DISTINCT "workspace_id", 'context', "context" FROM "events" WHERE "type" LIKE 'consent.%' AND "context" IS NOT NULL;
