import type { Verdict } from './ComplianceType';
import { storedFingerprint, verdictFingerprint } from './resultFingerprint';
import type { StoredResult } from './storedResults';

/** A verdict waiting for its resource's stored result. */
interface Held {
  verdict: Verdict;
  fingerprint: number;
}

/** Where the read of the stored results is. */
type ReadState = 'reading' | 'read' | 'failed';

/**
 * Decides, resource by resource, whether a periodic verdict is recorded: always with
 * `recordUnchanged`, else only when Config holds no result for the resource or a result with
 * another fingerprint (its compliance type and facts: resultFingerprint). The stored results arrive page by page while the sweep runs: a verdict
 * whose stored result has been read is decided at once; once the read has ended, one without is
 * recorded; until then it is held (just that verdict) until its page arrives or the read ends. If
 * the read fails, every verdict held or to come is recorded: correctness before cost. Memory: one
 * fingerprint per stored result, and the verdicts judged faster than the read.
 */
export class ChangedResultRecorder {
  private readonly stored = new Map<string, number>();
  private readonly held = new Map<string, Held>();
  private state: ReadState = 'reading';
  /** Verdicts handed to `record` (to be recorded; Config has not necessarily accepted them). */
  toRecord = 0;
  /** Verdicts left out because Config already holds the same result. */
  unchanged = 0;

  constructor(
    private readonly record: (resourceId: string, verdict: Verdict) => void,
    private readonly recordUnchanged: boolean,
  ) {}

  /** A verdict of the sweep: recorded now, left unchanged, or held until its stored result is known. */
  offer(resourceId: string, verdict: Verdict): void {
    if (this.recordUnchanged || this.state === 'failed') {
      this.recordNow(resourceId, verdict);
      return;
    }
    const fingerprint = verdictFingerprint(verdict);
    const stored = this.stored.get(resourceId);
    if (stored !== undefined) this.decide(resourceId, { verdict, fingerprint }, stored);
    else if (this.state === 'read') this.recordNow(resourceId, verdict);
    else this.held.set(resourceId, { verdict, fingerprint });
  }

  /** A page of stored results: remembers their fingerprints and decides the verdicts held for them. */
  storedPage(results: readonly StoredResult[]): void {
    for (const result of results) {
      const fingerprint = storedFingerprint(result.complianceType, result.annotation);
      this.stored.set(result.resourceId, fingerprint);
      const held = this.held.get(result.resourceId);
      if (held) {
        this.held.delete(result.resourceId);
        this.decide(result.resourceId, held, fingerprint);
      }
    }
  }

  /** The read has ended: the verdicts still held have no stored result, so they are recorded. */
  readEnded(): void {
    this.state = 'read';
    this.releaseHeld();
  }

  /** The read failed: what is held and what comes next is recorded. */
  readFailed(): void {
    this.state = 'failed';
    this.releaseHeld();
  }

  /** Records every verdict still held (the sweep is ending early): none is ever lost. */
  releaseHeld(): void {
    for (const [resourceId, { verdict }] of this.held) this.recordNow(resourceId, verdict);
    this.held.clear();
  }

  /** Verdicts waiting for their stored result. */
  get heldCount(): number {
    return this.held.size;
  }

  /** The fingerprint of every stored result read so far, by resource id. */
  get storedFingerprints(): ReadonlyMap<string, number> {
    return this.stored;
  }

  private decide(resourceId: string, held: Held, stored: number): void {
    if (held.fingerprint === stored) this.unchanged += 1;
    else this.recordNow(resourceId, held.verdict);
  }

  private recordNow(resourceId: string, verdict: Verdict): void {
    this.toRecord += 1;
    this.record(resourceId, verdict);
  }
}
