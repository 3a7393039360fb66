// A backtick substitution's text is unescaped (\` \\ \$) and lexed on its own, so what that lexer reports is in
// the unescaped text's positions and numbers its here-documents from 0. These hooks map both back before the
// outer hooks hear them: positions into the outer text, here-document slots into a range of their own.
import type { LexHooks } from "./types.js";

/** `hooks` as the lexer of one backtick's text must call them: `at` maps a position, `base` offsets slots. */
export function backtickHooks(h: LexHooks, at: (k: number) => number, base: number): LexHooks {
  return {
    word: h.word && ((raw, start) => h.word?.(raw, at(start))),
    redirect: h.redirect && ((op, target, start, slot) => h.redirect?.(op, target, at(start), slot === undefined ? undefined : base + slot)),
    separator: h.separator && ((sep, p) => h.separator?.(sep, at(p))),
    heredocBody: h.heredocBody && ((slot, body, start, quoted) => h.heredocBody?.(base + slot, body, at(start), quoted)),
    forList: h.forList && ((name, values, start) => h.forList?.(name, values, at(start))),
    nestedStart: h.nestedStart && ((kind) => h.nestedStart?.(kind)),
    nestedEnd: h.nestedEnd && (() => h.nestedEnd?.()),
  };
}
