import { createRuleHandler } from '../config/createRuleHandler';
import { accessKeyRule } from './rule';

/** The Lambda handler Config invokes for the iam-user-single-access-key rule. */
export const handler = createRuleHandler(accessKeyRule);
