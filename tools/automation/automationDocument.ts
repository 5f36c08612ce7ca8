/** A parameter of an SSM Automation document. */
export interface DocumentParameter {
  type: string;
  default?: unknown;
  allowedPattern?: string;
  allowedValues?: unknown[];
}

/** A step of an SSM Automation document. */
export interface DocumentStep {
  name: string;
  action: string;
  inputs?: Record<string, unknown>;
  outputs?: { Name: string; Selector: string; Type?: string }[];
  nextStep?: string;
  isEnd?: boolean | string;
  onFailure?: string;
  maxAttempts?: number;
  timeoutSeconds?: number;
}

/** The parts of an Automation document (schema 0.3) that are read and run here. */
export interface AutomationDocument {
  parameters?: Record<string, DocumentParameter>;
  mainSteps: DocumentStep[];
  /** The document's outputs, each `Step.Output`. */
  outputs?: string[];
}
