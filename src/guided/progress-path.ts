// Where the learner's progress lives: the INVOKING user's state dir, also under `sudo rootlab`
// (a progress file owned by root in /root would be lost to the student and unreadable for `rootlab list`).
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The person the file belongs to: under sudo the user who typed `sudo`, otherwise whoever runs rootlab. */
export interface ProgressOwner {
  /** Set only when the file must be chowned (root acting for SUDO_USER). */
  uid?: number;
  gid?: number;
  home: string;
}

export interface ProgressLocation {
  file: string;
  owner: ProgressOwner;
}

type Env = Record<string, string | undefined>;

/** Home directory of a user from a passwd(5) text; undefined when the user is not listed. */
export function homeFromPasswd(passwd: string, user: string): string | undefined {
  for (const line of passwd.split("\n")) {
    const fields = line.split(":");
    if (fields[0] === user && fields.length >= 7) return fields[5];
  }
  return undefined;
}

function readPasswd(): string {
  try {
    return readFileSync("/etc/passwd", "utf8");
  } catch {
    return "";
  }
}

/**
 * Resolves the progress file. Pure apart from reading /etc/passwd (injectable for tests).
 * Order: $XDG_STATE_HOME/rootlab/progress.json, else <home>/.local/state/rootlab/progress.json, where <home> is
 * SUDO_USER's home when root runs on behalf of a sudo user, else $HOME.
 */
export function progressLocation(env: Env = process.env, uid = process.getuid?.() ?? -1, passwd: () => string = readPasswd): ProgressLocation {
  const sudoUser = env.SUDO_USER;
  const actingForSudoUser = uid === 0 && sudoUser !== undefined && sudoUser !== "" && sudoUser !== "root";
  let owner: ProgressOwner;
  if (actingForSudoUser) {
    const home = homeFromPasswd(passwd(), sudoUser) ?? join("/home", sudoUser);
    const sudoUid = Number(env.SUDO_UID);
    const sudoGid = Number(env.SUDO_GID);
    owner = {
      home,
      uid: Number.isInteger(sudoUid) && env.SUDO_UID !== "" ? sudoUid : undefined,
      gid: Number.isInteger(sudoGid) && env.SUDO_GID !== "" ? sudoGid : undefined,
    };
  } else {
    owner = { home: env.HOME && env.HOME !== "" ? env.HOME : "/root" };
  }
  const stateHome = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(owner.home, ".local", "state");
  return { file: join(stateHome, "rootlab", "progress.json"), owner };
}
