import type { Logger } from "pino";
import { toGlobalId } from "../../graphql/global-id.js";
import type { ClaimedDelivery, FinishedAttempt, RetryPolicy, WebhookEventSource, WebhookQueue } from "./webhook-queue.js";
import type { AttemptOutcome, WebhookSender } from "./webhook-sender.js";
import { signatureHeader } from "./webhook-signature.js";

export interface WorkerOptions {
  /** attempts under way at once in this process */
  concurrency: number;
  /** how long the worker sleeps when there was nothing to do */
  pollMs: number;
  /** how long one attempt may take (the sender's timeout); a claim's lease outlasts it */
  timeoutMs: number;
  /** outbox events turned into deliveries per fan-out transaction */
  fanOutBatch: number;
  retry: RetryPolicy;
}

/** Attempts recorded by one statement at most (a statement's parameters stay small). */
const RECORD_BATCH = 500;
/** How long a finished attempt may wait for others to share its recording statement. */
const RECORD_LINGER_MS = 20;
/** Announced events are fanned out at most this often: a burst of commits shares one fan-out. */
const ANNOUNCED_FAN_OUT_GAP_MS = 50;
/** Tries at recording a batch (it is one statement: a failed try recorded nothing), e.g. after a deadlock. */
const RECORD_TRIES = 3;

/**
 * The delivery worker, one in every replica (in-process on PGlite too): fans new outbox events out
 * to deliveries, claims due deliveries and POSTs them, signed. At least once: a delivery is marked
 * done only after its receiver answered 2xx; a claim whose worker died is retried when its lease ends,
 * and one whose worker stopped is given back at once.
 *
 * Outcomes are recorded in groups, one statement each (every outcome under its own claim token): the
 * attempts that finished while the last recording statement ran, or a quarter of the slots' worth, or
 * what finished within RECORD_LINGER_MS when fewer finish (at once when no POST is under way). On the
 * embedded database nothing finishes while a statement runs (it runs on the event loop), hence the
 * short wait. A finished POST frees its slot at once, so the next claims and POSTs go on while outcomes
 * are being recorded; the delivery stays claimed (its lease) until its outcome is recorded.
 */
export class WebhookWorker {
  /** claims not yet recorded or given back: POSTs under way and outcomes waiting to be recorded */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** POSTs under way (the slots taken) */
  private sending = 0;
  /** finished attempts waiting for the next recording statement */
  private readonly finished: (FinishedAttempt & { done: () => void })[] = [];
  private recording = false;
  private lingering: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private aborting = false;
  private wake: (() => void) | undefined;
  /** new work was announced (a poke) while the loop was busy: it looks again before sleeping */
  private nudged = false;
  /** new outbox events were announced: the next round fans out whatever the poll interval says */
  private eventsAnnounced = false;

  constructor(
    private readonly queue: WebhookQueue,
    private readonly sender: WebhookSender,
    private readonly source: WebhookEventSource | null,
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
  ) {}

  /** Claims and recordings are made for a quarter of the slots at least (fewer statements, larger ones). */
  private get batchSize(): number {
    return Math.max(1, Math.floor(this.options.concurrency / 4));
  }

  private get announcedGapMs(): number {
    return Math.min(ANNOUNCED_FAN_OUT_GAP_MS, this.options.pollMs);
  }

  /** A lease long enough that no other worker takes a claim whose attempt is still running. */
  private get leaseMs(): number {
    return this.options.timeoutMs * 2 + 5_000;
  }

  start(): void {
    if (this.running) return;
    this.running = (async () => {
      try {
        await this.queue.prepare();
      } catch (error) {
        this.logger.warn({ err: error }, "webhook worker: could not prepare the fan-out cursor; retrying in the loop");
      }
      await this.loop();
    })();
  }

  /** Asks the loop to look for work now (e.g. an outbox notification, a redelivery). */
  poke(): void {
    this.nudge();
  }

  /** New outbox events committed (the source's NOTIFY channel): fan out now, not at the next poll. */
  eventsCommitted(): void {
    this.eventsAnnounced = true;
    this.nudge();
  }

  private nudge(): void {
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /**
   * Stops claiming, lets attempts under way finish for up to `graceMs`, then ends the rest and gives
   * their claims back so another replica (or the next start) sends them at once.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.nudge();
    await this.running;
    const finished = Promise.all(this.inFlight.values());
    const waited = await Promise.race([finished.then(() => true), sleep(graceMs).then(() => false)]);
    if (!waited) {
      this.aborting = true;
      this.sender.abortAll();
      await finished;
    }
    this.sender.close();
  }

  /**
   * One round: fan out new events (once per poll interval; sooner when new ones were announced, at most
   * every ANNOUNCED_FAN_OUT_GAP_MS; at once when the last batch was full), then claim due deliveries for
   * the free slots, in batches (a quarter of the slots at least): a finished POST wakes the loop, but
   * costs no statement of its own until enough slots are free. On the embedded database every statement
   * runs on the event loop, so fewer, larger ones keep HTTP moving.
   * Outcomes waiting to be recorded count against the slots only beyond one full set of slots (a
   * recording that lags does not let claims pile up).
   */
  private async loop(): Promise<void> {
    let failures = 0;
    let lastFanOut = 0;
    let fanOutFull = false;
    const minimumClaim = this.batchSize;
    while (!this.stopping) {
      let busy = false;
      try {
        const since = Date.now() - lastFanOut;
        if (this.source && (fanOutFull || since >= this.options.pollMs || (this.eventsAnnounced && since >= this.announcedGapMs))) {
          this.eventsAnnounced = false;
          lastFanOut = Date.now();
          fanOutFull = (await this.queue.fanOut(this.source, this.options.fanOutBatch)).events >= this.options.fanOutBatch;
        }
        const free = Math.min(this.options.concurrency - this.sending, 2 * this.options.concurrency - this.inFlight.size);
        if (free >= minimumClaim && !this.stopping) {
          const claimed = await this.queue.claim(free, this.leaseMs);
          for (const claim of claimed) this.attempt(claim);
          busy = claimed.length === free;
        }
        busy ||= fanOutFull;
        failures = 0;
      } catch (error) {
        failures += 1;
        // The database may be away: back off (up to 30 s) and carry on; the claims' leases keep them safe.
        if (failures === 1 || failures % 20 === 0) this.logger.warn({ err: error, failures }, "webhook worker: a round failed");
        await this.idle(Math.min(30_000, this.options.pollMs * 2 ** Math.min(failures, 6)));
        continue;
      }
      // Busy: go on at once unless every slot is taken (a finished attempt wakes the loop).
      if (!busy || this.sending >= this.options.concurrency) {
        // Announced events not yet fanned out (the gap since the last fan-out): back when the gap has passed.
        await this.idle(this.eventsAnnounced ? Math.max(0, this.announcedGapMs - (Date.now() - lastFanOut)) : this.options.pollMs);
      }
    }
  }

  /** Sleeps until `ms` pass or something wakes the loop (a finished attempt frees a slot). */
  private idle(ms: number): Promise<void> {
    if (this.stopping || this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private attempt(claim: ClaimedDelivery): void {
    this.sending += 1;
    const run = (async () => {
      let outcome: AttemptOutcome;
      try {
        outcome = await this.send(claim);
      } finally {
        this.sending -= 1;
        // A free slot matters only to a loop that sleeps: one that is claiming claims for it next round if more are due.
        this.wake?.();
      }
      if (this.aborting && outcome.statusCode === null) {
        await this.queue.release([claim]);
        return;
      }
      await this.record(claim, outcome);
    })()
      .catch((error: unknown) => this.logger.warn({ err: error, deliveryId: claim.id }, "webhook worker: could not record an attempt (its lease will expire and it is retried)"))
      .finally(() => {
        this.inFlight.delete(claim.id);
        this.wake?.();
      });
    this.inFlight.set(claim.id, run);
  }

  private send(claim: ClaimedDelivery): Promise<AttemptOutcome> {
    return this.sender.send({
      url: claim.url,
      body: claim.body,
      headers: {
        "x-fupin-event": claim.event,
        // The delivery's global ID: the same for every attempt (de-duplication) and what redeliverWebhook takes.
        "x-fupin-delivery": toGlobalId("WebhookDelivery", claim.id),
        "x-fupin-signature": signatureHeader(claim.signingSecret, claim.body, Date.now() / 1000),
      },
    });
  }

  /** Resolves once the outcome is recorded (or recording it failed, which was logged). */
  private record(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    return new Promise((done) => {
      this.finished.push({ claim, outcome, done });
      this.scheduleRecording();
    });
  }

  /** Whether the finished attempts are recorded at once rather than after a short wait for more. */
  private recordNow(): boolean {
    return this.finished.length >= this.batchSize || (this.finished.length > 0 && (this.sending === 0 || this.stopping));
  }

  private scheduleRecording(): void {
    if (this.recording || this.finished.length === 0) return; // the recording under way takes them next
    if (this.recordNow()) {
      clearTimeout(this.lingering);
      this.lingering = undefined;
      void this.recordFinished();
    } else {
      this.lingering ??= setTimeout(() => {
        this.lingering = undefined;
        void this.recordFinished();
      }, RECORD_LINGER_MS);
    }
  }

  /** One recording statement at a time; what finished meanwhile goes into the next. */
  private async recordFinished(): Promise<void> {
    if (this.recording) return;
    this.recording = true;
    try {
      do {
        const batch = this.finished.splice(0, RECORD_BATCH);
        await this.recordBatch(batch);
        for (const f of batch) f.done();
      } while (this.recordNow());
    } finally {
      this.recording = false;
    }
    this.scheduleRecording();
  }

  private async recordBatch(batch: readonly FinishedAttempt[]): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        const recorded = await this.queue.record(batch, this.options.retry);
        const disabled = new Map(recorded.map((r) => [r.id, r.disabled]));
        for (const { claim, outcome } of batch) {
          if (outcome.ok || !disabled.has(claim.id)) continue;
          this.logger.info(
            { deliveryId: claim.id, subscriptionId: claim.subscriptionId, attempt: claim.attempt, statusCode: outcome.statusCode, disabled: disabled.get(claim.id) },
            "webhook delivery attempt failed",
          );
        }
        return;
      } catch (error) {
        // One statement: a failed try recorded nothing, so trying again cannot record anything twice.
        if (tries >= RECORD_TRIES) {
          this.logger.warn({ err: error, attempts: batch.length }, "webhook worker: could not record attempts (their leases will expire and they are retried)");
          return;
        }
        await sleep(50 * tries);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
