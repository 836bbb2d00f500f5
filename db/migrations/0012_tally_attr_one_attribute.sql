DROP INDEX "metric_tally_attr_channel";--> statement-breakpoint
CREATE INDEX "metric_tally_attr_region" ON "metric_tally_attr" USING btree ("workspace_id","grain","measure","key","region","x","y","vf","vt","dim","n");--> statement-breakpoint
CREATE INDEX "metric_tally_attr_channel" ON "metric_tally_attr" USING btree ("workspace_id","grain","measure","key","channel","x","y","vf","vt","dim","n");