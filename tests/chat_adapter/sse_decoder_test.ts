import { SseDecoder } from "../../src/chat_adapter/sse_decoder.ts";
import { assertEquals } from "./_helpers.ts";

const BODY = 'event: message\ndata: {"choices":[{"delta":{"content":"a\\nb"}}]}\n\n' +
  ": keep-alive comment\r\n\r\n" +
  "id: 7\r\ndata: first line\r\ndata: second line\r\n\r\n" +
  "data:no-space\rdata:  two spaces\r\r" +
  "retry: 10\n\n" +
  "data: [DONE]\n\n";

const EXPECTED = [
  '{"choices":[{"delta":{"content":"a\\nb"}}]}',
  "first line\nsecond line",
  "no-space\n two spaces",
  "[DONE]",
];

function decodeInChunks(text: string, cuts: readonly number[]): string[] {
  const decoder = new SseDecoder();
  const payloads: string[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    payloads.push(...decoder.push(text.slice(start, cut)));
    start = cut;
  }
  payloads.push(...decoder.finish());
  return payloads;
}

Deno.test("SseDecoder decodes LF, CRLF and CR line endings, comments and multi-line data", () => {
  assertEquals(decodeInChunks(BODY, []), EXPECTED);
});

Deno.test("SseDecoder gives the same payloads wherever the stream is split", () => {
  for (let cut = 0; cut <= BODY.length; cut++) {
    assertEquals(decodeInChunks(BODY, [cut]), EXPECTED, `split at ${cut}`);
  }
});

Deno.test("SseDecoder gives the same payloads when fed one character at a time", () => {
  const cuts = Array.from({ length: BODY.length }, (_, i) => i);
  assertEquals(decodeInChunks(BODY, cuts), EXPECTED);
});

Deno.test("SseDecoder returns a last event that lacks its blank line at the end", () => {
  assertEquals(decodeInChunks("data: a\n\ndata: b", []), ["a", "b"]);
  assertEquals(decodeInChunks("data: a\n\ndata: b\n", []), ["a", "b"]);
});
