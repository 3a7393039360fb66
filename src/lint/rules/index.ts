// The table of lint rules, in the order they are documented. Parser diagnostics (front matter, fences,
// attributes, expect placement) come from src/format; these rules judge a lab that parsed.
import type { LintRule } from "../types.js";
import { checkMissing, checkUnnamed } from "./checks.js";
import { sessionEnvCollision, sessionUnknown } from "./sessions.js";
import { cleanupMissing } from "./cleanup.js";
import { hintMissing } from "./hints.js";
import { hintAnswerFirst } from "./hint-answer.js";
import { linkNowhere } from "./links.js";
import { blockIncomplete } from "./block-syntax.js";
import { labNoClosingStep, labNoIntro, labNoSteps, stepDuplicateTitle, stepLongTitle, stepCleanupTypo, stepNoExplanation, stepNoIntro } from "./structure.js";
import { expectBadRegex, expectSilenced, proseExpectWithoutRole } from "./expect.js";
import { labTitleMismatch } from "./title.js";
import { safetyAddress, safetyDnsName } from "./safety-network.js";
import { safetyIptablesLegacy, safetyUplink } from "./safety-host.js";
import { safetyDefaultRoute } from "./safety-routes.js";
import { safetyHostMount } from "./safety-mounts.js";
import { safetySysctl } from "./safety-sysctl.js";
import { safetyHostFirewall } from "./safety-firewall.js";
import { safetyHostNetwork } from "./safety-host-network.js";
import { safetyHostSystem } from "./safety-system.js";
import { safetyUnchecked } from "./safety-unchecked.js";
import { wrongMissing, wrongNoChecks, wrongUnnamed } from "./wrong-attempts.js";
import { presentCheckLabel, presentExitLabel, presentExpectRegex, presentFenceStyle, presentFolded, presentSessionLabel, presentSetupLabel } from "./presentation.js";

export const RULES: readonly LintRule[] = [
  checkMissing,
  checkUnnamed,
  wrongMissing,
  wrongUnnamed,
  wrongNoChecks,
  sessionUnknown,
  sessionEnvCollision,
  expectBadRegex,
  expectSilenced,
  cleanupMissing,
  hintMissing,
  hintAnswerFirst,
  linkNowhere,
  labTitleMismatch,
  labNoSteps,
  blockIncomplete,
  labNoIntro,
  labNoClosingStep,
  stepDuplicateTitle, stepLongTitle,
  stepNoIntro,
  stepNoExplanation,
  stepCleanupTypo,
  proseExpectWithoutRole,
  presentCheckLabel,
  presentSessionLabel,
  presentExitLabel,
  presentSetupLabel,
  presentFolded,
  presentExpectRegex,
  presentFenceStyle,
  safetyAddress,
  safetyDnsName,
  safetyUplink,
  safetyDefaultRoute,
  safetySysctl,
  safetyHostMount,
  safetyIptablesLegacy,
  safetyHostFirewall,
  safetyHostNetwork,
  safetyHostSystem,
  safetyUnchecked,
];
