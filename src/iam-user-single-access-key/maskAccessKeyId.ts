/** An access key id masked to its last four characters: never log or report a whole one. */
export function maskAccessKeyId(accessKeyId: string): string {
  return `****${accessKeyId.slice(-4)}`;
}
