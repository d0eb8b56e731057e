import { LocalEventBus, LocalQueues, type Deliver } from '../../infra/local/events/index.js';

/** A bus wired to in-memory queues with a settable clock, for the events-* behaviour tests. */
export function busWithQueues(options: { startMs?: number; failingArns?: Map<string, number> } = {}) {
  // A settable clock whose sleep just moves time on, so retry back-off costs no real time.
  const clock = {
    ms: options.startMs ?? Date.UTC(2026, 0, 15, 9, 30, 0),
    now() {
      return this.ms;
    },
    async sleep(ms: number) {
      this.ms += ms;
    },
  };
  const queues = new LocalQueues(clock, 'eu-west-1', '123456789012');
  const calls: { arn: string; payload: unknown }[] = [];
  let ids = 0;
  // failingArns: ARN → how many more calls to that ARN fail (Infinity = always).
  const deliver: Deliver = async (arn, payload, attributes) => {
    calls.push({ arn, payload });
    const remaining = options.failingArns?.get(arn) ?? 0;
    if (remaining > 0) {
      options.failingArns!.set(arn, remaining - 1);
      throw new Error(`target ${arn} unavailable`);
    }
    await queues.send(arn, payload, attributes);
  };
  const bus = new LocalEventBus({ clock, deliver, region: 'eu-west-1', account: '123456789012', newId: () => `evt-${++ids}` });
  return { bus, queues, clock, calls };
}
