// The variable that holds a session's host PID, as the format promises it to every block.
// Upper-cased; anything that cannot be in a shell variable name (`-`, `.`) becomes `_`.
export function sessionPidVar(name: string): string {
  return `ROOTLAB_SESSION_${name.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}_PID`;
}
