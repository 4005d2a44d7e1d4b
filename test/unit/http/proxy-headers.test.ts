import { describe, expect, it } from "vitest";
import { answerHeaders, forwardedHeaders } from "@/lib/http/proxy-headers";

describe("headers across the front server's hop", () => {
  it("drops the request's connection headers and those its Connection header names, never what frames or identifies it", () => {
    const forwarded = forwardedHeaders({
      host: "wiki.example",
      connection: "keep-alive, X-Secret-Hop, Content-Length, Host",
      "keep-alive": "timeout=5",
      te: "trailers",
      upgrade: "websocket",
      "x-secret-hop": "1",
      "content-length": "12",
      "content-type": "application/json",
      "x-forwarded-for": "192.0.2.1",
      cookie: "a=b",
    });
    expect(forwarded).toEqual({ host: "wiki.example", "content-length": "12", "content-type": "application/json", "x-forwarded-for": "192.0.2.1", cookie: "a=b" });
  });

  it("keeps an answer's headers in order and spelling, without the connection's", () => {
    expect(answerHeaders(["Content-Type", "text/html", "Transfer-Encoding", "chunked", "set-cookie", "a=1", "Connection", "keep-alive", "set-cookie", "b=2", "Keep-Alive", "timeout=5"])).toEqual([
      "Content-Type",
      "text/html",
      "set-cookie",
      "a=1",
      "set-cookie",
      "b=2",
    ]);
  });
});
