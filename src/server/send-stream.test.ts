import { get as httpGet, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { sendStream } from "./published-cache.js";

/**
 * sendStream reads its chunks as the client takes them and releases what they are read from once
 * the text is sent, or the download dropped: a download left halfway must not keep a connection
 * to the base open, nor go on reading.
 */
let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** A server whose one route sends `lines` lines (endless when null), counting what it read. */
async function serve(lines: number | null, onRead: () => void = () => {}) {
  const state = { read: 0, released: 0 };
  function* text(): Generator<string> {
    for (let i = 0; lines === null || i < lines; i++) {
      state.read++;
      onRead();
      yield `${"line ".repeat(200)}${i}\n`;
    }
  }
  const server = Fastify();
  app = server;
  server.get("/text", (request, reply) =>
    sendStream(request, reply, "text/plain; charset=utf-8", text(), () => state.released++),
  );
  await server.listen({ port: 0, host: "127.0.0.1" });
  const { port } = server.server.address() as AddressInfo;
  const open = (headers: Record<string, string> = {}) =>
    new Promise<IncomingMessage>((resolve, reject) =>
      httpGet({ host: "127.0.0.1", port, path: "/text", headers }, resolve).on("error", reject),
    );
  return { state, open };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  return done();
};

describe("sendStream", () => {
  it("sends every chunk, then releases once", async () => {
    const { state, open } = await serve(3000);
    const response = await open();
    let bytes = 0;
    for await (const chunk of response) bytes += (chunk as Buffer).length;
    expect(bytes).toBeGreaterThan(3000 * 1000);
    expect(await until(() => state.released === 1)).toBe(true);
    expect(state.read).toBe(3000);
  });

  for (const encoding of ["identity", "gzip"]) {
    it(`lets the event loop turn between two chunks, whatever the client's pace (${encoding})`, async () => {
      // Every turn of the loop, counted; each chunk notes the turn it was read in. A client
      // reading as fast as the server writes never makes a write wait: without a turn between
      // chunks, the whole download would be read in one, and every other request would wait.
      let turn = 0;
      let ticking = true;
      const tick = () => {
        turn++;
        if (ticking) setImmediate(tick);
      };
      tick();
      const turns: number[] = [];
      const { state, open } = await serve(null, () => turns.push(turn));
      const response = await open({ "accept-encoding": encoding });
      response.resume();
      expect(await until(() => turns.length > 200)).toBe(true);
      response.destroy();
      ticking = false;
      expect(await until(() => state.released === 1)).toBe(true);
      // One chunk a turn; two may note the same count, as the counter's callback and the
      // stream's share a turn in either order. Without the turns: thousands in one.
      const perTurn = new Map<number, number>();
      for (const t of turns) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
      expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(2);
    });

    it(`stops reading and releases when the client drops the download (${encoding})`, async () => {
      const { state, open } = await serve(null);
      const response = await open({ "accept-encoding": encoding });
      expect(response.headers["content-encoding"]).toBe(encoding === "gzip" ? "gzip" : undefined);
      await new Promise((resolve) => response.once("data", resolve));
      response.destroy();
      expect(await until(() => state.released === 1)).toBe(true);
      // Not read on after the drop: a few socket buffers' worth at most, not an endless file.
      const readThen = state.read;
      await new Promise((r) => setTimeout(r, 100));
      expect(state.read).toBe(readThen);
    });
  }
});
