import { actionsOffered, DEFAULT_REMEDIATION_ACTION, deletesKeys } from './RemediationAction';

/**
 * The remediate function's timeout, seconds: its definition (remediation-function.yml, through
 * deployment.js), the handler's deadline when no Lambda context gives one, and the benchmark take it.
 */
export const REMEDIATE_TIMEOUT_SECONDS = 120;

/**
 * How long the SSM document's step waits for the function: its timeout and a minute for Lambda
 * to start it and answer, so that the step never gives up on a run still changing keys. An
 * aws:invokeLambdaFunction step runs 300 s at most.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-lamb.html
 */
export const DOCUMENT_STEP_TIMEOUT_SECONDS = REMEDIATE_TIMEOUT_SECONDS + 60;

/** What deployment.js takes from the remediation's code when packaging (loaded through tsx, as the options are). */
export const REMEDIATION_PACKAGING = {
  defaultAction: DEFAULT_REMEDIATION_ACTION,
  actionsOffered,
  deletesKeys,
  timeoutSeconds: REMEDIATE_TIMEOUT_SECONDS,
  documentStepTimeoutSeconds: DOCUMENT_STEP_TIMEOUT_SECONDS,
};
