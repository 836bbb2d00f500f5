CREATE TABLE "metric_state" (
	"workspace_id" bigint PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_tally" (
	"workspace_id" bigint NOT NULL,
	"grain" text NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"dim" text NOT NULL,
	"x" integer NOT NULL,
	"y" integer NOT NULL,
	"z" integer NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "metric_tally_workspace_id_grain_measure_key_dim_x_y_z_pk" PRIMARY KEY("workspace_id","grain","measure","key","dim","x","y","z")
);
--> statement-breakpoint
CREATE TABLE "metric_value_daily" (
	"workspace_id" bigint NOT NULL,
	"purpose" text NOT NULL,
	"day" integer NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric NOT NULL,
	CONSTRAINT "metric_value_daily_workspace_id_purpose_day_currency_pk" PRIMARY KEY("workspace_id","purpose","day","currency")
);
