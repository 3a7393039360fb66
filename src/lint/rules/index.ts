// The table of lint rules, in the order they are documented. Parser diagnostics (front matter, fences,
// attributes, expect placement) come from src/format; these rules judge a lab that parsed.
import type { LintRule } from "../types.js";
import { checkMissing, checkUnnamed } from "./checks.js";
import { sessionEnvCollision, sessionUnknown } from "./sessions.js";
import { cleanupMissing } from "./cleanup.js";
import { hintMissing } from "./hints.js";
import { labNoClosingStep, labNoIntro, stepCleanupTypo, stepNoExplanation, stepNoIntro } from "./structure.js";
import { expectBadRegex, proseExpectWithoutRole } from "./expect.js";
import { labTitleMismatch } from "./title.js";
import { safetyAddress, safetyDnsName } from "./safety-network.js";
import { safetyDefaultRoute, safetyIptablesLegacy, safetyUplink } from "./safety-host.js";
import { safetyHostMount } from "./safety-mounts.js";
import { safetySysctl } from "./safety-sysctl.js";

export const RULES: readonly LintRule[] = [
  checkMissing,
  checkUnnamed,
  sessionUnknown,
  sessionEnvCollision,
  expectBadRegex,
  cleanupMissing,
  hintMissing,
  labTitleMismatch,
  labNoIntro,
  labNoClosingStep,
  stepNoIntro,
  stepNoExplanation,
  stepCleanupTypo,
  proseExpectWithoutRole,
  safetyAddress,
  safetyDnsName,
  safetyUplink,
  safetyDefaultRoute,
  safetySysctl,
  safetyHostMount,
  safetyIptablesLegacy,
];
