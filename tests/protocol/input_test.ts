import { assertEquals } from "../support/assert.ts";
import {
  imageUrl,
  type InputItem,
  localImage,
  mention,
  skill,
  text,
  toUserInput,
} from "../../mod.ts";
import type { UserInput } from "../../src/protocol/mod.ts";

type Of<T extends UserInput["type"]> = Extract<UserInput, { type: T }>;

Deno.test("input helpers build the protocol's UserInput shapes", () => {
  const t: Of<"text"> = text("hi") as Of<"text">;
  assertEquals(t, { type: "text", text: "hi", text_elements: [] });
  assertEquals(
    imageUrl("https://example.com/a.png"),
    {
      type: "image",
      url: "https://example.com/a.png",
    } satisfies UserInput,
  );
  assertEquals(
    localImage("/tmp/a.png"),
    { type: "localImage", path: "/tmp/a.png" } satisfies Of<
      "localImage"
    >,
  );
  assertEquals(
    skill("review", "/s/SKILL.md"),
    {
      type: "skill",
      name: "review",
      path: "/s/SKILL.md",
    } satisfies Of<"skill">,
  );
  assertEquals(
    mention("main.ts", "/repo/main.ts"),
    {
      type: "mention",
      name: "main.ts",
      path: "/repo/main.ts",
    } satisfies Of<"mention">,
  );
});

Deno.test("a plain string is one text item; items and lists pass through", () => {
  assertEquals(toUserInput("hello"), [text("hello")]);
  const img: InputItem = imageUrl("data:image/png;base64,AA==");
  assertEquals(toUserInput(img), [img]);
  const list = [text("look"), img];
  const out = toUserInput(list);
  assertEquals(out, list);
  out.push(text("more"));
  assertEquals(list.length, 2, "the caller's list is copied, not mutated");
});
