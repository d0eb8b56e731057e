import { AsyncLocalStorage } from 'node:async_hooks';
import type { ReferenceCatalog } from '../adapters/files/reference-catalog.js';
import type { AuditCaseStore } from '../ports/audit-case-store.js';
import type { ChainAnchors } from '../ports/chain-anchors.js';
import type { DeclarationStore } from '../ports/declaration-store.js';
import type { Publisher } from '../ports/publisher.js';
import type { RiskStore } from '../ports/risk-store.js';
import type { SecurityAccounts } from '../ports/security-accounts.js';
import type { Workflows } from '../ports/workflows.js';

/** The adapters a handler reaches through `functions/shared/dependencies.ts`, and the reference data. */
export interface Dependencies {
  declarationStore: DeclarationStore;
  eventPublisher: Publisher;
  lifecycleWorkflows: Workflows;
  securityAccounts: SecurityAccounts;
  riskStore: RiskStore;
  chainAnchors: ChainAnchors;
  auditCases: AuditCaseStore;
  referenceCatalog: ReferenceCatalog;
}

const scope = new AsyncLocalStorage<Dependencies>();

/**
 * Runs `work` — and everything it starts, asynchronously too — with `dependencies` in place of
 * the deployed adapters. This is how a replay runs the very handler modules in a sandbox
 * (DESIGN.md §6): handlers keep asking `declarationStore()` and friends and get the sandbox's
 * in-memory adapters, while the live platform in the same process keeps its own.
 */
export function runInSandbox<T>(dependencies: Dependencies, work: () => T): T {
  return scope.run(dependencies, work);
}

/** The sandbox's dependencies when called inside {@link runInSandbox}; undefined on the live path. */
export function sandboxDependencies(): Dependencies | undefined {
  return scope.getStore();
}
