// Guided mode shows a step's prose next to the command it introduces.
import { describe, expect, it } from "vitest";
import { parseLab } from "../../src/format/parse.js";
import { stepText } from "../../src/guided/step-text.js";

const LAB = `---
format: 1
id: t
title: T
---

# T

## One

Intro text.

\`\`\`sh
echo a
\`\`\`

Between a and b.

> [!TIP]
> A hint, never shown here.

\`\`\`sh
echo b
\`\`\`

Before the check.

\`\`\`verify
# it works
true
\`\`\`

The explanation.

## Two

\`\`\`sh
echo c
\`\`\`

After c.
`;

describe("stepText", () => {
  const parsed = parseLab(LAB, "t.md");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const [one, two] = parsed.lab.steps;

  it("puts text between commands before the command it leads to, and text before the checks before them", () => {
    const t = stepText(one!);
    const [a, b] = one!.blocks.filter((x) => x.role === "command");
    expect(t.beforeCommand.get(a!)).toBeUndefined();
    expect(t.beforeCommand.get(b!)?.join("\n")).toContain("Between a and b.");
    expect(t.beforeCommand.get(b!)?.join("\n")).not.toContain("A hint");
    expect(t.beforeChecks.join("\n")).toContain("Before the check.");
    expect(t.beforeChecks.join("\n")).not.toContain("The explanation");
  });

  it("the intro and the explanation are left to step.intro / step.explanation", () => {
    const t = stepText(two!);
    expect(t.beforeCommand.size).toBe(0);
    expect(t.beforeChecks).toEqual([]);
    expect(two!.explanation).toContain("After c.");
  });
});
