// The rule's CloudWatch metrics, named once: the runtime emits them (embedded metric format,
// Powertools Metrics) and the templates' alarm reads them. Nothing else spells these names.

/** The metrics every rule of this runtime emits, their namespace and their one dimension. */
export const RULE_METRICS = {
  /** One namespace for every rule built on this runtime. */
  namespace: 'ConfigRuleSweeps',
  /** The only dimension: the Config rule's name. One rule in one account and region is one series. */
  dimension: 'ConfigRuleName',
  /**
   * A second dimension set, (ConfigRuleName, AccountId), published only when the function evaluates
   * another account than its own: an organization rule's members, whose rules AWS names and whose
   * documents all land in the administrator account's logs. Each member is then a series of its own.
   */
  accountDimension: 'AccountId',
  /** Emitted once per periodic sweep (scheduled notification), whether it completed or not. */
  sweep: {
    /** 1 when the sweep judged every listed resource and Config recorded every evaluation; 0 otherwise. */
    completed: 'SweepCompleted',
    /** Resources the sweep judged. This, unchanged, throttledCalls and durationSeconds are published once the sweep has started. */
    judged: 'ResourcesJudged',
    /** Resources judged NON_COMPLIANT; published only by a completed sweep (a partial count would read as a fall). */
    nonCompliant: 'NonCompliantResources',
    /** Evaluations Config accepted. */
    recorded: 'EvaluationsRecorded',
    /** Verdicts not sent because Config already held the same result. */
    unchanged: 'EvaluationsUnchanged',
    /** Calls to AWS (the rule's service and Config) that were throttled, retried or not. */
    throttledCalls: 'ThrottledCalls',
    /** The sweep's wall time, in seconds. */
    durationSeconds: 'SweepDuration',
  },
  /** Emitted once per change-triggered invocation (configuration item or oversized item notification). */
  change: {
    /** Evaluations Config accepted. */
    recorded: 'EvaluationsRecorded',
    /** 1 when the invocation failed (it throws; Lambda counts an error too); 0 otherwise. */
    failed: 'EvaluationFailures',
  },
} as const;
