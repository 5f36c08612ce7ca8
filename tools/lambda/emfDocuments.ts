/**
 * One document of CloudWatch's embedded metric format (EMF), as a function prints it: the
 * directive under `_aws`, the dimension values and the metric values at the top level.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[];
  };
  [member: string]: unknown;
}

/** The EMF documents among a function's output lines: the JSON objects that carry an `_aws.CloudWatchMetrics` directive. */
export function emfDocumentsIn(lines: readonly string[]): EmfDocument[] {
  const documents: EmfDocument[] = [];
  for (const line of lines) {
    const text = line.trim();
    if (!text.startsWith('{') || !text.includes('"_aws"')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A log line that only looks like JSON is not a document.
      continue;
    }
    if (isEmfDocument(parsed)) documents.push(parsed);
  }
  return documents;
}

/** The values of the metrics a document declares, by metric name. */
export function emfValues(document: EmfDocument): Record<string, unknown> {
  const names = document._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
  return Object.fromEntries(names.map((name) => [name, document[name]]));
}

function isEmfDocument(value: unknown): value is EmfDocument {
  const aws = (value as { _aws?: { CloudWatchMetrics?: unknown } } | null)?._aws;
  return typeof aws === 'object' && aws !== null && Array.isArray(aws.CloudWatchMetrics);
}
