import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type DeployTarget, deployTimeValue } from '../package/deployTimeValue';
import type { Template } from '../package/Template';

/** A Lambda function of a packaged template, as LambdaProcess runs it. */
export interface PackagedFunction {
  logicalId: string;
  functionName: string;
  /** Absolute path of its zip in the package. */
  zipFile: string;
  /** `Handler`: `<module path>.<export>` (`src/x/handler.handler`). */
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
  /** `Environment.Variables` as CloudFormation would set them. */
  environment: Record<string, string>;
}

/**
 * The function with this logical id (e.g. EvaluateLambdaFunction) of the package in `directory`,
 * deployed to `target`; throws naming what is missing.
 */
export function packagedFunction(
  pkg: { directory: string; template: Template },
  logicalId: string,
  target: DeployTarget,
): PackagedFunction {
  const resource = pkg.template.Resources[logicalId];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`The packaged template has no Lambda function ${logicalId}`);
  const properties = (resource.Properties ?? {}) as Record<string, unknown>;
  const code = properties.Code as { S3Key?: unknown } | undefined;
  if (typeof code?.S3Key !== 'string') throw new Error(`${logicalId}: Code.S3Key is not a string in the packaged template`);
  const zipFile = join(pkg.directory, basename(code.S3Key));
  if (!existsSync(zipFile)) throw new Error(`${logicalId}: ${zipFile} (its Code.S3Key) is not in the package`);
  const handler = properties.Handler;
  if (typeof handler !== 'string' || !/^[^.]+\.[\w$]+$/.test(handler)) {
    throw new Error(`${logicalId}: Handler ${JSON.stringify(handler)} is not <module path>.<export>`);
  }
  const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<
    string,
    unknown
  >;
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = deployTimeValue(pkg.template, value, target, `${logicalId}: environment variable ${name}`);
  }
  return {
    logicalId,
    functionName: typeof properties.FunctionName === 'string' ? properties.FunctionName : logicalId,
    zipFile,
    handler,
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySize: Number(properties.MemorySize ?? 128),
    environment,
  };
}
