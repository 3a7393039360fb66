// The lab `rootlab new` writes: small, real, passing `rootlab lint` and `rootlab verify --strict` as is, with
// author comments (never shown to students) pointing at every feature. Pure: id and title in, Markdown out.

export interface TemplateInput {
  id: string;
  title: string;
}

/** A YAML scalar for the title: plain when that is safe, else double-quoted (JSON strings are valid YAML). */
function yamlScalar(text: string): string {
  return /^[A-Za-z0-9(][^:#"'\n]*$/.test(text) && !/\s$/.test(text) ? text : JSON.stringify(text);
}

export function labTemplate({ id, title }: TemplateInput): string {
  const ns = `rl-${id}`;
  const fence = "```";
  return `---
# Front matter: what rootlab needs before step 1. Reference: docs/lab-format.md. Unknown keys are errors.
format: 1                 # the lab format version: leave it at 1
id: ${id}${" ".repeat(Math.max(1, 22 - id.length))}# unique; \`rootlab verify ${id}\` and progress files use it
title: ${yamlScalar(title)}
summary: Create a network namespace, look inside it, and bring its loopback interface up.
level: beginner           # beginner | intermediate | advanced
duration: 10m
requires:                 # checked before step 1; each unmet need is named with its fix
  root: true
  commands: [ip, ping]
  kernel: [netns]
  systemd: false          # true: needs systemd as PID 1 (machinectl)
  network: false          # true: needs the internet (never in CI) — avoid
uses: []                  # fixtures, e.g. [busybox-rootfs] gives $BUSYBOX_ROOTFS
---

# ${title}

<!-- The intro (prose between the title and the first step) is shown when the lab starts: what the student
     will learn and what they need. HTML comments like this one are notes for authors, never shown. -->

In this lab you create a **network namespace** — a separate copy of the kernel's network stack, with its own
interfaces and routes — and see how empty a new one is. You need root and \`ip\` from iproute2. Everything
the lab creates is called \`${ns}\`.

## Create a network namespace

<!-- A step is a \`## \` heading. Prose before its first block says what is about to happen, and why. -->

\`ip netns add NAME\` creates a network namespace and keeps it alive by bind-mounting it at
\`/run/netns/NAME\`; \`ip -n NAME …\` runs an \`ip\` command inside it:

<!-- A command block: shown to the student and run by rootlab in the \`host\` session. It stops at the first
     failing command, like \`bash -e\`; \`exit=N\` on the fence expects status N instead of 0. -->

${fence}sh
ip netns add ${ns}
ip -n ${ns} link
${fence}

<!-- Expected output of the command just above, line by line: \`...\` matches any number of lines, a line
     ending in \` (re)\` is a regular expression for the whole line. On GitHub the fence info is invisible, so
     a label line (bold, ending in a colon) right before the block tells the reader what it is. -->

**Expected output** (a line ending in \`(re)\` is a pattern, \`...\` stands for any lines):

${fence}text expect
1: lo: <LOOPBACK> mtu 65536 .* state DOWN .* (re)
...
${fence}

<!-- A cleanup block is registered when the step starts and runs when the lab ends, even after a failure or
     Ctrl-C (newest step first). It must not fail when the step only half ran. It is folded in <details>, so a
     reader copying the page top to bottom does not tear down what they just built. -->

<details><summary>Cleanup (rootlab runs it when the lab ends)</summary>

${fence}sh cleanup
ip netns del ${ns} 2>/dev/null || true
${fence}

</details>

<!-- A named check: its first line \`# …\` is what the student sees. \`rootlab verify --strict\` runs it before
     the step too, and fails the lab if it already passes there: a check must prove the step's idea. -->

**Check:**

${fence}sh verify
# ${ns} exists and holds nothing but its loopback interface
test -e /run/netns/${ns}
[ "$(ip -n ${ns} -o link | wc -l)" -eq 1 ]
${fence}

<!-- A wrong attempt: a plausible mistake the step's checks must reject. \`rootlab verify --strict\` runs it
     (it must succeed as the real commands would), then the checks (one must fail), then its undo. Students
     never see it as a command; it is folded for readers of the file. -->

<details><summary>Wrong attempt (rootlab verify --strict runs it; do not type it)</summary>

${fence}sh wrong
# a namespace under another name
ip netns add ${ns}-other
${fence}

${fence}sh undo
ip netns del ${ns}-other
${fence}

</details>

<!-- Hints (\`> [!TIP]\`) stay hidden until the student asks or a check fails. Several form a ladder:
     a nudge first (what to look at, no command: lint warns hint/answer-first), then the tool or man page,
     the command last. Each is folded on GitHub. -->

<details><summary>Hint 1</summary>

> [!TIP]
> Network namespaces are managed with \`ip netns\`: try \`ip netns help\`.

</details>

<details><summary>Hint 2</summary>

> [!TIP]
> \`ip netns add ${ns}\`, then \`ip netns list\` shows it.

</details>

<!-- The explanation: prose after the step's last block, shown once the step has passed. Explain the output. -->

A new network namespace is empty: one loopback interface, \`lo\`, and it is \`DOWN\`. The host's interfaces
are not there — an interface belongs to exactly one network namespace at a time.

## Bring the loopback interface up, from inside

To work *inside* the namespace like a person at a second terminal, start a shell in it. The block below
becomes a session named \`ns\`; later blocks with \`session=ns\` run in that shell:

<!-- \`enter=NAME\` makes the command a new long-lived session NAME; \`session=NAME\` runs a block inside it.
     Variables, the working directory and namespaces carry on from block to block of one session. The label
     names the shell, which GitHub cannot show. -->

**Starts the shell \`ns\`:**

${fence}sh enter=ns
ip netns exec ${ns} sh
${fence}

**In the \`ns\` shell:**

${fence}sh session=ns
ip link set lo up
ping -c1 -W2 127.0.0.1 | grep -c 'bytes from'
${fence}

**Expected output:**

${fence}text expect
1
${fence}

<!-- Checks run in the host session unless they say \`session=NAME\`, in a subshell (they cannot change
     the session), and stop at their first failing line: write one test per line. -->

**Check:**

${fence}sh verify
# lo is up inside ${ns} and answers a ping
ip -n ${ns} -o link show lo | grep -q ',UP'
ip netns exec ${ns} ping -c1 -W2 127.0.0.1 >/dev/null
${fence}

<details><summary>Wrong attempt (rootlab verify --strict runs it; do not type it)</summary>

${fence}sh wrong
# lo brought up in the host shell instead of the ns shell (the host's lo, already up)
ip link set lo up
${fence}

</details>

<details><summary>Hint 1</summary>

> [!TIP]
> Inside the \`ns\` session, \`ip link\` works on the namespace's own interfaces.

</details>

<details><summary>Hint 2</summary>

> [!TIP]
> \`ip link set lo up\` in the \`ns\` session.

</details>

Even loopback must be brought up in a new network namespace: until then, not even \`127.0.0.1\` answers.
The shell you started with \`ip netns exec\` sees only the namespace's interfaces, while it still shares the
host's processes and files.

<!-- The last step has no commands: what the student learned, and the next lab by id. -->

## What you learned

- A network namespace is a separate network stack; a new one has only \`lo\`, and it is down.
- \`ip netns add\` creates and names one; \`ip -n NAME\` and \`ip netns exec NAME\` work inside it.

Next: **netns-veth** — connect two namespaces with a virtual cable.
`;
}
