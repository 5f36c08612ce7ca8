import { roleName } from './awsKinds';
import { option } from './Option';
import { flag, wholeNumber } from './OptionKind';

// The options the rule runtime (src/config) reads itself, whatever the rule: its own rule
// parameters, which it takes out of InputParameters before the rule's parser sees them, and its
// tuning, which reaches the function as an environment variable.

/** The rule parameters the runtime takes for itself (src/config/runtimeParameters.ts). */
export const RUNTIME_PARAMETER_OPTIONS = {
  executionRoleName: option({
    kind: roleName,
    use: 'both',
    section: 'organization',
    default: '',
    doc: 'When set, the function assumes `arn:<partition>:iam::<account of the event>:role/<name>` and makes every IAM and Config call with it (organization deployments).',
  }),
  /**
   * Whether a periodic sweep records a verdict that Config already holds (same compliance, same
   * facts: src/config/resultFingerprint.ts). Config bills every
   * evaluation recorded, changed or not (https://aws.amazon.com/config/pricing/).
   */
  recordUnchanged: option({
    kind: flag,
    use: 'rule parameter',
    section: 'rule',
    default: 'false',
    doc: '`true`: a sweep records every result, not only new or changed ones.',
  }),
};

/** The name of a rule parameter the runtime takes for itself. */
export type RuntimeParameterName = keyof typeof RUNTIME_PARAMETER_OPTIONS;

/** The names of the runtime's own rule parameters. */
export const RUNTIME_PARAMETERS: readonly string[] = Object.keys(RUNTIME_PARAMETER_OPTIONS);

/** Users judged at once in a periodic sweep: the deploy option `sweepConcurrency`, the function's SWEEP_CONCURRENCY. */
export const SWEEP_CONCURRENCY_OPTION = option({
  kind: wholeNumber(1, 256),
  use: 'deploy',
  section: 'deployment',
  default: '32',
  doc: "Users judged at once in a periodic sweep; IAM's throttling, not this, sets the pace.",
});
