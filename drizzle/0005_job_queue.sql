-- Jobs now run from the job queue; jobs left queued or running by an earlier release have no place in it.
-- They end as failed, saying why: a redelivery from GitHub or POST /api/orchestrator/jobs/:id/rerun runs them again.
UPDATE "orchestrator_jobs" SET "status" = 'failed', "error" = 'interrupted by the upgrade to the job queue: run it again', "finished_at" = now() WHERE "status" IN ('queued', 'running');--> statement-breakpoint
ALTER TABLE "orchestrator_jobs" DROP COLUMN "lease_until";
