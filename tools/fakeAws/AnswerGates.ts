/**
 * When the stand-in answers: at once, or together with others (answerTogether: the requests for an
 * action are held until a count of them has arrived), or once released (holdAnswers: answers to
 * an action are computed on arrival and sent when the test says so). Stages races without timing.
 */
export class AnswerGates<Request> {
  private gates: { action: string; count: number; parked: Request[] }[] = [];
  private readonly held = new Map<string, (() => void)[]>();

  /** Holds the next `count` requests for `action` until all of them have arrived. */
  together(action: string, count: number): void {
    this.gates.push({ action, count, parked: [] });
  }

  /** The requests to handle now, in arrival order, on the arrival of `request`: none while its gate waits, all of them once full. */
  arrive(action: string, request: Request): Request[] {
    const gate = this.gates.find((candidate) => candidate.action === action);
    if (!gate) return [request];
    gate.parked.push(request);
    if (gate.parked.length < gate.count) return [];
    this.gates.splice(this.gates.indexOf(gate), 1);
    return gate.parked;
  }

  /** Drops every gate; returns the requests they held, to handle now. */
  open(): Request[] {
    const parked = this.gates.flatMap((gate) => gate.parked);
    this.gates = [];
    return parked;
  }

  /** Holds back answers to `action` from now on; the returned function sends those held and stops holding. */
  hold(action: string): () => void {
    this.held.set(action, this.held.get(action) ?? []);
    return () => {
      const waiting = this.held.get(action) ?? [];
      this.held.delete(action);
      for (const write of waiting) write();
    };
  }

  /** Sends an answer to `action` now, or once released when answers to it are held. */
  deliver(action: string, send: () => void): void {
    const holding = this.held.get(action);
    if (holding) holding.push(send);
    else send();
  }
}
