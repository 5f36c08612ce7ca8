import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The structured JSON logger every module shares. Level from POWERTOOLS_LOG_LEVEL (INFO by
 * default); rule name, account and message type are appended per invocation.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'config-rule' });
