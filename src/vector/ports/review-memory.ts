/**
 * Port the orchestrator writes through: decisions and code-review outputs become review
 * memory. VectorMemoryService is the implementation.
 */
export abstract class ReviewMemory {
  abstract rememberReview(code: string, review: string, metadata?: Record<string, unknown>): Promise<{ id: string }>;
  abstract rememberDecision(
    decision: { action: string; reason?: string; [key: string]: unknown },
    context?: Record<string, unknown>,
  ): Promise<{ id: string }>;
}
