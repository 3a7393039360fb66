// Round 5 of attempts to get a harmful command past the safety gate (test/fixtures/lint/bypasses/round5.md): the
// uplink in every quoting and expansion, ways to run ip, routes that are default in disguise, namespaces that are
// the host's, shells fed strings, command substitutions bash expands inside quotes (prompts, arithmetic, array
// subscripts of `[[ -v`, `printf -v`, `read`, `let`), proxies in the environment, `hash -p`, `ip link property`
// altnames, `/dev/tcp` and /proc/sys through variables and `/proc/1/root` — and the lab idioms that must stay clean.
import { describeBypassRound } from "./bypass-fixture.js";

describeBypassRound(5, { refused: 190, clean: 20 });
