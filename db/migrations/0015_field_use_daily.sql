CREATE TABLE "field_use_daily" (
	"workspace_id" bigint NOT NULL,
	"day" date NOT NULL,
	"field" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"uses" bigint DEFAULT 0 NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL,
	CONSTRAINT "field_use_daily_workspace_id_day_field_purpose_pk" PRIMARY KEY("workspace_id","day","field","purpose")
);
--> statement-breakpoint
INSERT INTO "field_use_daily" ("workspace_id", "day", "field", "purpose", "uses", "last_used_at")
SELECT "workspace_id", ("occurred_at" AT TIME ZONE 'UTC')::date, "field", coalesce("purpose", ''), count(*), max("occurred_at")
FROM "events" WHERE "type" = 'data.used' AND "field" IS NOT NULL
GROUP BY 1, 2, 3, 4;
