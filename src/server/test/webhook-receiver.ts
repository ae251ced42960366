import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request a receiver got: its headers and raw body. */
export type ReceivedRequest = { headers: IncomingHttpHeaders; body: string; webhookId: string; receivedAt: number };

/** How to answer a request: a status and body, after a pause if any. */
export type ReceiverAnswer = { status: number; body?: string; delayMs?: number };

export type WebhookReceiver = {
  /** `http://127.0.0.1:<port>/hook` (or with `localhost` as its host). */
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** How the following requests are answered (by default 204); may wait as long as it likes. */
  answerWith(answer: (request: ReceivedRequest, index: number) => ReceiverAnswer | Promise<ReceiverAnswer>): void;
  /** Waits until `isDone` holds for what was received; throws after `timeoutMs`. */
  waitFor(isDone: (received: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
};

/** A webhook receiver on loopback (node:http) that records every request and answers as told. */
export async function startWebhookReceiver({ host = "127.0.0.1" }: { host?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  let answer: (request: ReceivedRequest, index: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => ({
    status: 204,
  });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry: ReceivedRequest = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        webhookId: String(request.headers["webhook-id"] ?? ""),
        receivedAt: Date.now(),
      };
      received.push(entry);
      void Promise.resolve(answer(entry, received.length - 1)).then(async ({ status, body, delayMs }) => {
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (!response.destroyed) response.writeHead(status).end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hook`,
    port,
    received,
    answerWith(next) {
      answer = next;
    },
    async waitFor(isDone, timeoutMs = 20_000) {
      const started = Date.now();
      while (!isDone(received)) {
        if (Date.now() - started > timeoutMs) {
          throw new Error(`The receiver on port ${port} got ${received.length} requests, not what was awaited`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
