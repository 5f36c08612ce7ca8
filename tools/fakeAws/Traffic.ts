import type { FakeAwsStats, FakeService } from './types';

type Counters = Omit<FakeAwsStats, 'byAction'>;

const zero = (inFlight: number): Counters => ({
  iamCalls: 0,
  stsCalls: 0,
  configCalls: 0,
  accountCalls: 0,
  dynamodbCalls: 0,
  throttled: 0,
  injected: 0,
  inFlight,
  maxInFlight: inFlight,
});

/** The stand-in's counters: calls by service and action, throttled and injected answers, requests in flight. */
export class Traffic {
  private counters = zero(0);
  private byAction = new Map<string, number>();

  /** A request for `action` of `service` is being handled. */
  count(service: FakeService, action: string): void {
    this.counters[`${service}Calls`] += 1;
    this.byAction.set(action, (this.byAction.get(action) ?? 0) + 1);
  }

  /** One more answer of this kind. */
  answered(kind: 'throttled' | 'injected'): void {
    this.counters[kind] += 1;
  }

  /** A request arrived; the returned function says it is done. */
  started(): () => void {
    this.counters.inFlight += 1;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.counters.inFlight);
    return () => {
      this.counters.inFlight -= 1;
    };
  }

  stats(): FakeAwsStats {
    return { ...this.counters, byAction: Object.fromEntries(this.byAction) };
  }

  /** Zero again, but for the requests in flight. */
  reset(): void {
    this.counters = zero(this.counters.inFlight);
    this.byAction = new Map();
  }
}
