import { describe, expect, it } from "vitest";
import { colorLevel, createStyle, isInteractive, plainStyle, supportsUnicode } from "../../src/term/style.js";

const TTY = { isTTY: true };
const PIPE = { isTTY: false };
const UTF8 = { LANG: "C.UTF-8", TERM: "xterm" };

describe("colour", () => {
  it.each([
    ["a terminal", TTY, UTF8, true],
    ["not a terminal", PIPE, UTF8, false],
    ["no isTTY at all", {}, UTF8, false],
    ["NO_COLOR=1", TTY, { ...UTF8, NO_COLOR: "1" }, false],
    ["NO_COLOR empty (present counts)", TTY, { ...UTF8, NO_COLOR: "" }, false],
    ["TERM=dumb", TTY, { TERM: "dumb" }, false],
    ["FORCE_COLOR=1 on a pipe", PIPE, { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR beats NO_COLOR", PIPE, { FORCE_COLOR: "1", NO_COLOR: "1" }, true],
    ["FORCE_COLOR beats TERM=dumb", PIPE, { FORCE_COLOR: "true", TERM: "dumb" }, true],
    ["FORCE_COLOR=0 on a terminal", TTY, { ...UTF8, FORCE_COLOR: "0" }, false],
    ["FORCE_COLOR=false", TTY, { ...UTF8, FORCE_COLOR: "false" }, false],
  ] as const)("%s", (_name, stream, env, on) => {
    const style = createStyle(stream, env);
    expect(style.color).toBe(on);
    expect(style.chalk.red("x")).toBe(on ? "\x1b[31mx\x1b[39m" : "x");
  });

  it.each([
    [{ TERM: "xterm" }, 1],
    [{ TERM: "xterm-256color" }, 2],
    [{ TERM: "xterm", COLORTERM: "truecolor" }, 3],
    [{ TERM: "xterm", FORCE_COLOR: "3" }, 3],
    [{ TERM: "xterm-256color", FORCE_COLOR: "1" }, 2],
  ] as const)("level for %j", (env, level) => {
    expect(colorLevel(TTY, env)).toBe(level);
  });

  it("never uses chalk's global level (it ignores NO_COLOR)", () => {
    const style = createStyle(TTY, { ...UTF8, NO_COLOR: "1" });
    expect(style.chalk.level).toBe(0);
    expect(style.chalk.bold.underline("t")).toBe("t");
  });
});

describe("unicode", () => {
  it.each([
    [{ LANG: "C.UTF-8", TERM: "xterm" }, true],
    [{ LANG: "en_US.utf8" }, true],
    [{ LC_ALL: "de_DE.UTF-8", LANG: "C" }, true],
    [{ LC_ALL: "C", LANG: "en_US.UTF-8" }, false],
    [{ LC_CTYPE: "C.UTF-8" }, true],
    [{ LANG: "C" }, false],
    [{ LANG: "POSIX" }, false],
    [{}, false],
    [{ LANG: "C.UTF-8", TERM: "linux" }, false],
    [{ LANG: "C.UTF-8", TERM: "dumb" }, false],
  ] as const)("%j", (env, on) => {
    expect(supportsUnicode(env)).toBe(on);
    const sym = createStyle(TTY, env).sym;
    expect(sym.pass).toBe(on ? "✓" : "ok");
    expect(sym.fail).toBe(on ? "✗" : "FAIL");
    expect(sym.skip).toBe(on ? "○" : "-");
  });

  it("ASCII symbols are pure ASCII", () => {
    const sym = createStyle(TTY, { LANG: "C" }).sym;
    const all = [sym.pass, sym.fail, sym.skip, sym.warn, sym.arrow, sym.bullet, sym.ellipsis, ...sym.spinnerFrames, ...Object.values(sym.box)];
    for (const s of all) expect(s).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("interactive", () => {
  it.each([
    [TTY, UTF8, true],
    [PIPE, UTF8, false],
    [TTY, { ...UTF8, CI: "true" }, false],
    [TTY, { TERM: "dumb" }, false],
    [TTY, { ...UTF8, NO_COLOR: "1" }, true],
  ] as const)("%j %j", (stream, env, on) => {
    expect(isInteractive(stream, env)).toBe(on);
    expect(createStyle(stream, env).interactive).toBe(on);
  });

  it("plainStyle is never coloured or interactive", () => {
    expect(plainStyle()).toMatchObject({ color: false, interactive: false, unicode: true });
    expect(plainStyle(false).sym.pass).toBe("ok");
  });
});
