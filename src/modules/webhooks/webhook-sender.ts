import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { type AddressRules, type Resolve, WebhookAddressError, allowedAddresses, hostOf, parseWebhookUrl, systemResolve } from "./webhook-address.js";

export interface OutgoingDelivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** What one attempt came to: the receiver's status code, or why there was none. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  /** short, for `lastError`: no stack, no body of the receiver's answer */
  error: string | null;
  durationMs: number;
}

const MAX_ANSWER_BYTES = 64 * 1024;
/**
 * How long a kept-alive connection may stay idle: shorter than common servers' keep-alive timeout
 * (Node's 5 s), so that we close it before the receiver does. A receiver's `Keep-Alive: timeout=N`
 * shortens it to N − 1 s (Node's agent honours the hint only when it has a timeout of its own).
 */
const IDLE_CONNECTION_MS = 4_000;

/**
 * POSTs one delivery: no redirects followed, a hard timeout for the whole exchange, and the SSRF
 * guard on the address actually connected to (a `lookup` that checks what it returns, run for every
 * new connection). Connections are kept alive per origin and reused.
 */
export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS });
  private readonly inFlight = new Set<http.ClientRequest>();

  constructor(
    private readonly rules: AddressRules,
    private readonly timeoutMs: number,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  async send(delivery: OutgoingDelivery): Promise<AttemptOutcome> {
    const started = Date.now();
    const done = (statusCode: number | null, error: string | null): AttemptOutcome => ({
      ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
      statusCode,
      error: error ?? (statusCode !== null && (statusCode < 200 || statusCode >= 300) ? `HTTP ${statusCode}` : null),
      durationMs: Date.now() - started,
    });
    let url: URL;
    try {
      url = parseWebhookUrl(delivery.url, this.rules);
      // A literal address is never looked up: check it here.
      if (isIP(hostOf(url))) await allowedAddresses(hostOf(url), this.rules, this.resolve);
    } catch (error) {
      return done(null, error instanceof WebhookAddressError ? `URL refused: ${error.message}` : "URL refused");
    }
    const secure = url.protocol === "https:";
    return new Promise<AttemptOutcome>((resolve) => {
      let settled = false;
      let current: http.ClientRequest | undefined;
      const finish = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        finish(done(null, `timed out after ${this.timeoutMs} ms`));
        current?.destroy();
      }, this.timeoutMs);
      const post = () => {
        const request = (secure ? https : http).request(url, {
          method: "POST",
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: this.guardedLookup,
          headers: {
            ...delivery.headers,
            "content-type": "application/json; charset=utf-8",
            "content-length": Buffer.byteLength(delivery.body),
            "user-agent": "Fupin-Webhooks/1",
          },
        });
        current = request;
        this.inFlight.add(request);
        request.on("close", () => this.inFlight.delete(request));
        let answered = false;
        request.on("response", (response) => {
          answered = true;
          // Read (and drop) a bounded answer so the connection can be reused; the status code is what counts.
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) response.destroy();
          });
          response.on("end", () => finish(done(response.statusCode ?? null, null)));
          response.on("close", () => finish(done(response.statusCode ?? null, null)));
          response.on("error", () => finish(done(response.statusCode ?? null, null)));
        });
        request.on("error", (error) => {
          // A kept-alive connection the receiver closed (idle) just as this request went out on it: no
          // answer came; send again on another connection (a new one is checked by the guard again).
          // Never after an answer, and never for a request on a new connection.
          if (!settled && !answered && request.reusedSocket && isClosedConnection(error)) post();
          else finish(done(null, describe(error)));
        });
        request.end(delivery.body);
      };
      post();
    });
  }

  /** Ends every attempt still running (shutdown); their deliveries are retried. */
  abortAll(): void {
    for (const request of this.inFlight) request.destroy(new Error("shutting down"));
  }

  close(): void {
    this.abortAll();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** The resolver's answer, checked: the connection goes to an address that passed the guard. */
  private readonly guardedLookup: LookupFunction = (hostname, options, callback) => {
    allowedAddresses(hostname, this.rules, this.resolve).then(
      (answers) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family ? answers.filter((a) => a.family === family) : answers;
        if (usable.length === 0) {
          callback(Object.assign(new Error("no address of the requested family"), { code: "ENOTFOUND" }), "", 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };
}

function isClosedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "ECONNRESET" || code === "EPIPE";
}

/** A short reason for `lastError`: the kind of failure, never a stack or the receiver's text. */
function describe(error: unknown): string {
  if (error instanceof WebhookAddressError) return `URL refused: ${error.message}`;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name does not resolve";
    case "ETIMEDOUT":
      return "connection timed out";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    default:
      if (typeof code === "string" && /^(ERR_TLS|CERT_|UNABLE_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return `TLS error (${code})`;
      return typeof code === "string" && code.length <= 40 ? `request failed (${code})` : "request failed";
  }
}
