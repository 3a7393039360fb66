// A block whose shell text ends inside a quote, a here-document, `$(…)` or a compound command: bash would wait for
// the rest (typed) or fail with "unexpected end of file" (run), far from the line that opened it. A block written
// to fail (`exit=N`) may do so on purpose, and is left alone.
import type { LintRule } from "../types.js";
import { splitShell } from "../../shell/split.js";
import { TOO_DEEP } from "../../shell/lexer.js";
import { blocksInOrder } from "../lab-shell.js";

export const blockIncomplete: LintRule = {
  code: "block/incomplete",
  severity: "error",
  description: "a block's shell text ends inside a quote, here-document, `$(…)` or `if`/`for`/`case`/`{`: bash never sees its end",
  check: ({ lab }) =>
    blocksInOrder(lab).flatMap(({ block }) => {
      if (block.exit !== 0 || block.code.trim() === "") return [];
      const open = splitShell(block.code).incomplete;
      // Nesting too deep to read is the safety gate's to refuse (safety/unchecked), not a missing end.
      return open === undefined || open.what === TOO_DEEP ? [] : [{
        line: block.codeLine + open.line,
        column: 1,
        code: "block/incomplete",
        message: `the block ends inside the ${open.what} opened on this line: bash never sees its end, and the run fails with "unexpected end of file"`,
        expected: "every quote, here-document (its end word alone on a line), `$(`, `if … fi`, `for … done`, `case … esac` and `{ … }` closed inside the block",
        example: "cat <<'EOF' > \"$LAB_DIR/hello.txt\"\nhello\nEOF",
      }];
    }),
};
