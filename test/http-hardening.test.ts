import { connect } from "node:net";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { useTestServer } from "./support/api.js";

const JWT_SECRET = "http-hardening-jwt-secret-0123456789abcdef";
const config = parseConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  JWT_SECRET,
  MAX_BODY_BYTES: "20000",
  MAX_DISCARDED_BODY_BYTES: "4000000",
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
});
const setup = useTestServer({ config });

const query = (padding: number) => JSON.stringify({ query: `{ division(code: "433100") { name } } # ${"x".repeat(padding)}` });

describe("oversized bodies: any HTTP client receives the 413", () => {
  it("Node's fetch gets the 413 for bodies up to the discard bound (declared length)", async () => {
    for (const size of [30_000, 1_000_000, 3_500_000, 3_500_000, 3_500_000, 3_500_000, 3_500_000, 2_000_000, 2_000_000, 2_000_000]) {
      const response = await fetch(`${setup.base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: query(size) });
      expect(response.status).toBe(413);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe("PAYLOAD_TOO_LARGE");
    }
  });

  it("Node's fetch gets the 413 for a streamed body without a declared length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    // A client that is still sending when the limit is passed (each piece a few milliseconds apart).
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 2_000_000) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 3));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${setup.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(sent).toBeGreaterThanOrEqual(2_000_000);
  });

  it("past the discard bound: a 413 when declared, then the socket is closed", async () => {
    const port = Number(new URL(setup.base).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 50000000\r\n\r\n`);
        socket.write("x".repeat(100_000));
      });
      let text = "";
      socket.on("data", (data) => (text += data.toString("utf8")));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
      setTimeout(() => reject(new Error(`the socket stayed open; got ${text.slice(0, 200)}`)), 10_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain("PAYLOAD_TOO_LARGE");
  });

  it("past the discard bound while streaming: the socket is closed", async () => {
    const port = Number(new URL(setup.base).port);
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
        const piece = "x".repeat(256 * 1024);
        let written = 0;
        const pump = () => {
          while (written < 8_000_000 && !socket.destroyed) {
            written += piece.length;
            if (!socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`)) return socket.once("drain", pump);
          }
        };
        pump();
      });
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("close", () => resolve(true));
      socket.on("error", () => undefined);
      setTimeout(() => {
        console.error(`socket still open after ${socket.bytesWritten} bytes written; received: ${text.slice(0, 200)}`);
        socket.destroy();
        resolve(false);
      }, 10_000).unref();
    });
    expect(closed).toBe(true);
  });

  it("still serves ordinary requests afterwards", async () => {
    const response = await fetch(`${setup.base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: query(10) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.division.name).toBeTypeOf("string");
  });
});

describe("bearer tokens", () => {
  const key = new TextEncoder().encode(JWT_SECRET);
  const call = (token: string) =>
    fetch(`${setup.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ viewer { user { id } } }" }),
    });
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

  const adminId = () => (setup.callers.admin.actor as { userId: string }).userId;

  it("a correctly signed token without exp is 401 (with exp, the same user is served)", async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(adminId()).setIssuedAt().sign(key);
    const response = await call(token);
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const withExp = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(adminId()).setIssuedAt().setExpirationTime(inAnHour()).sign(key);
    const served = await call(withExp);
    expect(served.status).toBe(200);
    expect(((await served.json()) as any).data.viewer.user.id).toBeTypeOf("string");
  });

  it.each([["not-a-uuid"], ["' or 1=1 --"], ["00000000-0000-4000-8000-00000000000Z"], [""]])("a signed token whose sub is %j is 401", async (sub) => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime(inAnHour()).sign(key);
    const response = await call(token);
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("a signed token with a non-string sub or none at all is 401", async () => {
    for (const payload of [{ sub: 42 }, {}]) {
      const token = await new SignJWT(payload as never).setProtectedHeader({ alg: "HS256" }).setExpirationTime(inAnHour()).sign(key);
      expect((await call(token)).status).toBe(401);
    }
  });

  it("a well-formed token of a user that does not exist is 401 too", async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("00000000-0000-4000-8000-000000000001").setExpirationTime(inAnHour()).sign(key);
    expect((await call(token)).status).toBe(401);
  });
});
