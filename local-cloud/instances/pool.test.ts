/**
 * The pool's scheduling under many interleavings (fast-check's scheduler orders every instance
 * start and every call's end), with fake instances that check the rules themselves.
 */
import fc from 'fast-check';
import type { ExitCause, Instance, InstanceCall, StopCause } from './child-instance';
import { LoadError } from './child-instance';
import { failure, type InstanceAnswer } from './outcome';
import { FunctionPool, type PoolEvent } from './pool';
import type { PlatformContext } from './protocol';

interface Step {
  /** A call, or a source change (`replace`). */
  kind: 'call' | 'replace';
  /** The call's instance dies during it. */
  crash: boolean;
}

/** True about `percent` % of the time. */
const sometimes = (percent: number) => fc.integer({ min: 0, max: 99 }).map((n) => n < percent);

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Step['kind']>('call', 'call', 'call', 'replace'),
  crash: sometimes(25),
});

const CONTEXT = {} as PlatformContext;
const call = (n: number, crash: boolean): InstanceCall => ({
  requestId: `r${n}`,
  env: {},
  event: { crash },
  context: CONTEXT,
});

class World {
  alive = 0;
  starting = 0;
  maxAlive = 0;
  started = 0;
  violations: string[] = [];
  constructor(readonly cap: number) {}
  count(): void {
    this.maxAlive = Math.max(this.maxAlive, this.alive + this.starting);
    if (this.alive + this.starting > this.cap)
      this.violations.push(`${this.alive + this.starting} instances over cap ${this.cap}`);
  }
}

class FakeInstance implements Instance {
  readonly startMs = 1;
  alive = true;
  running = false;
  readonly ended: Promise<void>;
  private end!: () => void;
  constructor(
    readonly id: string,
    readonly generation: number,
    private readonly scheduler: fc.Scheduler,
    private readonly world: World,
    private readonly exited: (instance: Instance, cause: ExitCause, detail: string) => void,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  call(c: InstanceCall): Promise<InstanceAnswer> {
    if (this.running) this.world.violations.push(`${this.id} ran two calls at once`);
    if (!this.alive) this.world.violations.push(`${this.id} got a call after it stopped`);
    this.running = true;
    const crash = (c.event as { crash: boolean }).crash;
    return this.scheduler.schedule(Promise.resolve(), `${c.requestId} on ${this.id}`).then((): InstanceAnswer => {
      this.running = false;
      if (crash) {
        this.die('crash');
        return { ok: false, error: failure('crash', -504002, '1 code exit unexpected'), durationMs: 1, logs: [] };
      }
      return { ok: true, result: { instance: this.id, generation: this.generation }, durationMs: 1, logs: [] };
    });
  }

  stop(cause: StopCause): void {
    if (this.running && cause !== 'closed') this.world.violations.push(`${this.id} stopped during a call (${cause})`);
    this.die(cause);
  }

  private die(cause: ExitCause): void {
    if (!this.alive) return;
    this.alive = false;
    this.world.alive -= 1;
    this.exited(this, cause, '');
    this.end();
  }
}

describe('FunctionPool', () => {
  it('keeps every rule whatever the order of starts, calls and source changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        // Which instance starts fail to load the function, in start order.
        fc.array(sometimes(20), { maxLength: 40 }),
        async (s, cap, steps, failLoads) => {
          const world = new World(cap);
          const events: PoolEvent[] = [];
          let generationNow = 0;
          const pool = new FunctionPool(
            'fn',
            (generation, exited) => {
              world.starting += 1;
              world.count();
              const fails = failLoads[world.started] ?? false;
              world.started += 1;
              const id = `i${world.started}`;
              return s.schedule(Promise.resolve(), `start ${id}`).then(() => {
                world.starting -= 1;
                if (fails) throw new LoadError(failure('load', -504002, 'Error: bad module'), []);
                world.alive += 1;
                world.count();
                return new FakeInstance(id, generation, s, world, exited);
              });
            },
            { maxInstances: cap, idleTimeoutMs: 60_000, maxQueued: 1000 },
            (event) => events.push(event),
          );
          const calls: Array<
            Promise<{ generationAtCall: number; outcome: Awaited<ReturnType<FunctionPool['call']>> }>
          > = [];
          for (const [n, { kind, crash }] of steps.entries()) {
            if (kind === 'replace') {
              pool.replace();
              generationNow += 1;
            } else {
              const generationAtCall = generationNow;
              calls.push(pool.call(call(n, crash)).then((outcome) => ({ generationAtCall, outcome })));
            }
            // Let some scheduled starts and calls finish between steps, in the scheduler's order.
            if (s.count() > 0 && n % 2 === 1) await s.waitNext(1);
          }
          const done = await s.waitFor(Promise.all(calls));
          await s.waitIdle();

          expect(world.violations).toEqual([]);
          expect(world.maxAlive).toBeLessThanOrEqual(cap);
          expect(done).toHaveLength(steps.filter((x) => x.kind === 'call').length);
          for (const { generationAtCall, outcome } of done) {
            if (outcome.ok) {
              // A call made after a source change never runs old code.
              expect((outcome.result as { generation: number }).generation).toBeGreaterThanOrEqual(generationAtCall);
            } else {
              expect(['load', 'crash']).toContain(outcome.error.kind);
            }
          }
          const stats = pool.stats();
          expect(stats.coldStarts).toBe(events.filter((e) => e.type === 'cold-start').length);
          expect(stats.busy + stats.queued + stats.starting).toBe(0);
          expect(stats.instances).toBe(world.alive);
          expect(stats.idle).toBe(world.alive);
          // Idle instances left are all of the current generation.
          await pool.close();
          expect(world.alive).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('serves waiting calls in the order they came', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 8 }), async (s, n) => {
        const world = new World(1);
        const order: string[] = [];
        const pool = new FunctionPool(
          'fn',
          (generation, exited) =>
            s.schedule(Promise.resolve(), 'start').then(() => new FakeInstance('only', generation, s, world, exited)),
          { maxInstances: 1, idleTimeoutMs: 60_000, maxQueued: 100 },
          () => undefined,
        );
        const calls = Array.from({ length: n }, (_, k) =>
          pool.call(call(k, false)).then((outcome) => order.push(outcome.requestId)),
        );
        await s.waitFor(Promise.all(calls));
        expect(order).toEqual(Array.from({ length: n }, (_, k) => `r${k}`));
        await pool.close();
      }),
      { numRuns: 100 },
    );
  });
});
