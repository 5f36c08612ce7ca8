import { type ChildProcess, spawn } from 'node:child_process';

/** The Python program that runs one aws:executeScript handler: request on stdin, outcome as JSON on stdout. */
const HARNESS = `
import contextlib, json, sys
request = json.loads(sys.stdin.read())
outcome = {'python': '%d.%d.%d' % sys.version_info[:3]}
try:
    namespace = {'__name__': 'automation_script'}
    # What the script prints goes to stderr: stdout carries the outcome only.
    with contextlib.redirect_stdout(sys.stderr):
        exec(compile(request['script'], 'Script', 'exec'), namespace)
        returned = namespace[request['handler']](request['events'], request['context'])
    outcome['returned'] = json.loads(json.dumps(returned))
except Exception as error:
    outcome['raised'] = {'type': type(error).__name__, 'message': str(error)}
sys.stdout.write(json.dumps(outcome))
`;

/** What an aws:executeScript handler did: returned a value (the step's Payload) or raised (the step failed). */
export type ScriptOutcome = { python: string } & (
  { status: 'Success'; payload: unknown } | { status: 'Failed'; errorType: string; message: string }
);

/** python3 is not on PATH, so the script step cannot run here. */
export class PythonNotFoundError extends Error {
  constructor(options: { cause: unknown }) {
    super("python3 was not found on PATH: the document's aws:executeScript step (a Python script) cannot run here", options);
    this.name = 'PythonNotFoundError';
  }
}

/**
 * Runs the Python `script`'s `handler(events, context)` locally with python3, as aws:executeScript
 * runs it: what it returns is the step's Payload, an exception fails the step with its message.
 * `track` registers the child process (the demo stops it on a signal).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeScript.html
 */
export function runPythonScript(
  request: { script: string; handler: string; events: Record<string, unknown>; context: Record<string, unknown> },
  track: (child: ChildProcess) => void = () => undefined,
): Promise<ScriptOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', HARNESS], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new PythonNotFoundError({ cause: error }) : error),
    );
    child.once('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`python3 ended with ${signal ?? `exit code ${code}`} running the script step: ${stderr.trim()}`));
        return;
      }
      const outcome = JSON.parse(stdout) as { python: string; returned?: unknown; raised?: { type: string; message: string } };
      resolve(
        outcome.raised
          ? { python: outcome.python, status: 'Failed', errorType: outcome.raised.type, message: outcome.raised.message }
          : { python: outcome.python, status: 'Success', payload: outcome.returned ?? null },
      );
    });
    if (child.pid !== undefined) track(child);
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}
