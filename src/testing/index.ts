/**
 * `bsm/testing`: what an embedding codebase needs to test its extensions the way BSM tests itself —
 * the real application on a fresh embedded database, a fake OpenAI-compatible provider with scripted
 * faults, a fake of the slice of GitHub's API BSM calls, and signed webhook deliveries.
 */
export { startTestApp, BSM_DATA_DIR, type TestAppOptions, type RunningTestApp } from './test-app';
export { startFakeLlm, type FakeLlm, type FakeBehaviour, type FakeStats } from '../tools/fake-llm/fake-llm.server';
export { startFakeGitHub, type FakeCheckRun, type FakeGitHub, type FakeGitHubOptions } from './fake-github';
export { signWebhook, webhookHeaders } from './webhooks';
