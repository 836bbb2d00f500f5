DROP INDEX "metric_tally_attr_channel";--> statement-breakpoint
CREATE INDEX "metric_tally_attr_region" ON "metric_tally_attr" USING btree ("workspace_id","grain","measure","key","region","dim","x","y","vf","vt","n");--> statement-breakpoint
CREATE INDEX "metric_tally_attr_channel" ON "metric_tally_attr" USING btree ("workspace_id","grain","measure","key","channel","dim","x","y","vf","vt","n");