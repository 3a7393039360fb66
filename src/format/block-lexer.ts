// marked's block lexer, with a cheap test in front of its setext-heading rule (a line underlined with `===` or
// `---`). marked tries that rule's regular expression before every paragraph, and the expression walks the whole
// paragraph looking for an underline: it was a third of the block lexer's time on the labs. The test below only
// says "no underline can be there" when marked's expression could not match either, and hands every other case
// to marked — so the tokens are exactly marked's (test/unit/format-block-lexer.test.ts compares them).
import { Lexer, Tokenizer, type Tokens } from "marked";

/** A setext underline line, after the line break that ends the heading's text. */
const UNDERLINE = /\n {0,3}(?:=+|-+)[ \t]*(?:\n|$)/;
/** How far ahead the test looks; a longer paragraph goes to marked's own rule (the test must stay cheap). */
const LOOK_AHEAD = 4096;

class SetextTestingTokenizer extends Tokenizer {
  override lheading(src: string): Tokens.Heading | undefined {
    // marked's rule: text lines (never a blank one: no "\n\n" inside), then the underline. So the underline, if
    // any, ends before the first blank line.
    const head = src.length > LOOK_AHEAD ? src.slice(0, LOOK_AHEAD) : src;
    const blank = head.indexOf("\n\n");
    if (blank === -1 && head !== src) return super.lheading(src);
    return UNDERLINE.test(blank === -1 ? head : head.slice(0, blank + 1)) ? super.lheading(src) : undefined;
  }
}

/** A block lexer for one text (marked's lexers keep state: one per call). */
export function blockLexer(): Lexer {
  return new Lexer({ gfm: true, tokenizer: new SetextTestingTokenizer() });
}
