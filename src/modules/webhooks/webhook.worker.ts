import type { Logger } from "pino";
import { toGlobalId } from "../../graphql/global-id.js";
import type { ClaimedDelivery, RetryPolicy, WebhookEventSource, WebhookQueue } from "./webhook-queue.js";
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

/**
 * The delivery worker, one in every replica (in-process on PGlite too): fans new outbox events out
 * to deliveries, claims due deliveries and POSTs them, signed. At least once: a delivery is marked
 * done only after its receiver answered 2xx; a claim whose worker died is retried when its lease ends,
 * and one whose worker stopped is given back at once.
 */
export class WebhookWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private aborting = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly queue: WebhookQueue,
    private readonly sender: WebhookSender,
    private readonly source: WebhookEventSource | null,
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
  ) {}

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
    this.wake?.();
  }

  /**
   * Stops claiming, lets attempts under way finish for up to `graceMs`, then ends the rest and gives
   * their claims back so another replica (or the next start) sends them at once.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake?.();
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
   * One round: fan out new events (at most once per poll interval unless the last batch was full), then
   * claim due deliveries for the free slots, in batches (a quarter of the slots at least): a finished
   * attempt wakes the loop, but costs no statement of its own until enough slots are free. On the
   * embedded database every statement runs on the event loop, so fewer, larger ones keep HTTP moving.
   */
  private async loop(): Promise<void> {
    let failures = 0;
    let lastFanOut = 0;
    let fanOutFull = false;
    const minimumClaim = Math.max(1, Math.floor(this.options.concurrency / 4));
    while (!this.stopping) {
      let busy = false;
      try {
        if (this.source && (fanOutFull || Date.now() - lastFanOut >= this.options.pollMs)) {
          lastFanOut = Date.now();
          fanOutFull = (await this.queue.fanOut(this.source, this.options.fanOutBatch)).events >= this.options.fanOutBatch;
        }
        const free = this.options.concurrency - this.inFlight.size;
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
      if (!busy || this.inFlight.size >= this.options.concurrency) await this.idle(this.options.pollMs);
    }
  }

  /** Sleeps until `ms` pass or something wakes the loop (a finished attempt frees a slot). */
  private idle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private attempt(claim: ClaimedDelivery): void {
    const run = this.send(claim)
      .catch((error: unknown) => this.logger.warn({ err: error, deliveryId: claim.id }, "webhook worker: could not record an attempt (its lease will expire and it is retried)"))
      .finally(() => {
        this.inFlight.delete(claim.id);
        this.wake?.();
      });
    this.inFlight.set(claim.id, run);
  }

  private async send(claim: ClaimedDelivery): Promise<void> {
    const outcome: AttemptOutcome = await this.sender.send({
      url: claim.url,
      body: claim.body,
      headers: {
        "x-fupin-event": claim.event,
        // The delivery's global ID: the same for every attempt (de-duplication) and what redeliverWebhook takes.
        "x-fupin-delivery": toGlobalId("WebhookDelivery", claim.id),
        "x-fupin-signature": signatureHeader(claim.signingSecret, claim.body, Date.now() / 1000),
      },
    });
    if (this.aborting && outcome.statusCode === null) {
      await this.queue.release([claim]);
      return;
    }
    const { disabled } = await this.queue.complete(claim, outcome, this.options.retry);
    if (!outcome.ok) {
      this.logger.info({ deliveryId: claim.id, subscriptionId: claim.subscriptionId, attempt: claim.attempt, statusCode: outcome.statusCode, disabled }, "webhook delivery attempt failed");
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
