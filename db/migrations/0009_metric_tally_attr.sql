CREATE TABLE "metric_tally_attr" (
	"workspace_id" bigint NOT NULL,
	"grain" text NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"region" text NOT NULL,
	"channel" text NOT NULL,
	"dim" text NOT NULL,
	"x" integer NOT NULL,
	"y" integer NOT NULL,
	"z" integer NOT NULL,
	"vf" integer NOT NULL,
	"vt" integer NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "metric_tally_attr_workspace_id_grain_measure_key_region_channel_dim_x_y_z_vf_vt_pk" PRIMARY KEY("workspace_id","grain","measure","key","region","channel","dim","x","y","z","vf","vt")
);
--> statement-breakpoint
CREATE INDEX "metric_tally_attr_channel" ON "metric_tally_attr" USING btree ("workspace_id","grain","measure","key","channel");