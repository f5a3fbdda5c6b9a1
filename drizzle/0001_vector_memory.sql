CREATE TABLE "vector_decisions" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"action" text NOT NULL,
	"reason" text,
	"decision" jsonb NOT NULL,
	"context" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vector_decisions_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "vector_reviews" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"review" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vector_reviews_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE INDEX "vector_decisions_created_at_idx" ON "vector_decisions" USING btree ("created_at");