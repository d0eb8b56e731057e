#!/usr/bin/env tsx
import { auditOverrides } from './commands/audit-overrides.js';
import { replay } from './commands/replay.js';
import { riskReport } from './commands/risk-report.js';
import { token } from './commands/token.js';
import { whatIf } from './commands/what-if.js';

/**
 * The `clearway` command line (`npm run clearway -- <command> …`): a small router from command
 * words to command modules in `bin/commands/`, each taking the remaining arguments and
 * answering an exit code.
 */
const commands: Record<string, (args: string[]) => Promise<number>> = {
  'risk report': riskReport,
  'audit overrides': auditOverrides,
  replay,
  'what-if': whatIf,
  token,
};

const argv = process.argv.slice(2);
const name = Object.keys(commands).find((words) => words.split(' ').every((word, i) => argv[i] === word));
if (!name) {
  console.error(`usage: clearway <command>\ncommands:\n${Object.keys(commands).map((c) => `  ${c}`).join('\n')}`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await commands[name]!(argv.slice(name.split(' ').length));
  } catch (error) {
    // The platform not running, a bad option: said in one line, not as a stack trace.
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    console.error(`clearway ${name}: ${(error as Error).message}${cause ? ` (${cause}: is the platform running? --url, $CLEARWAY_API_URL)` : ''}`);
    process.exitCode = 1;
  }
}
