CREATE TABLE "orchestrator_jobs" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"event" text NOT NULL,
	"status" text NOT NULL,
	"repo" text,
	"pr" integer,
	"payload" jsonb NOT NULL,
	"context" jsonb,
	"results" jsonb,
	"decision" jsonb,
	"report" text,
	"error" text,
	"owner" text,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"correlation_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "orchestrator_jobs_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "orchestrator_overrides" (
	"event" text PRIMARY KEY NOT NULL,
	"strategy" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "orchestrator_jobs_status_idx" ON "orchestrator_jobs" USING btree ("status","seq");--> statement-breakpoint
CREATE INDEX "orchestrator_jobs_repo_pr_idx" ON "orchestrator_jobs" USING btree ("repo","pr");