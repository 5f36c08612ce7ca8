// Loaded by mocha before any test file (see .mocharc.json).
import { setJournalScenario } from './support/callJournal';

// No test may reach AWS: credentials are fake, instance metadata is off, and any client that a
// test did not point at a mock or a local endpoint is sent to a closed local port.
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTONLY';
process.env.AWS_SECRET_ACCESS_KEY = 'test-only';
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
process.env.AWS_MAX_ATTEMPTS ??= '3';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
// Handlers run in this process print no EMF; tests of the metrics read them from a RuleMetrics of their own.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The SDK warns on every Node 20 process that versions published after January 2027 need Node 22.
// Tests run on the developer's and CI's Node (20.19+); the functions run on Lambda's nodejs22.x.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Mocha root hooks: the call journal of the permission tests names the test each call comes from. */
export const mochaHooks = {
  beforeEach(this: Mocha.Context): void {
    setJournalScenario(this.currentTest?.titlePath() ?? []);
  },
};
