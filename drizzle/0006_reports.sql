CREATE TABLE "orchestrator_reports" (
	"job_id" text PRIMARY KEY NOT NULL,
	"json" jsonb NOT NULL,
	"markdown" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
