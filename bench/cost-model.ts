/**
 * The AWS cost of 1,000 declarations: what the local runtime counted per declaration (bench/metrics.ts)
 * times the public on-demand prices of bench/prices.json — for the design as built, and for
 * alternatives derived from the same counts.
 */
import pricesJson from './prices.json' with { type: 'json' };
import type { Usage } from './metrics.js';

export type Prices = typeof pricesJson;
export const prices: Prices = pricesJson;

/** One priced line: how much of a billed unit 1,000 declarations use, and what it costs. */
export interface CostLine {
  service: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface DesignCost {
  design: string;
  description: string;
  lines: CostLine[];
  /** USD per 1,000 declarations. */
  totalUsd: number;
}

/** The polls of the benchmark's parties: a client behaviour, not the design; one read of the result is priced instead. */
export const POLL_ROUTE = 'GET /declarations/{id}';

/**
 * Consecutive synchronous steps of the lifecycle that could run as one Express workflow, started
 * by the Standard lifecycle with `states:startExecution.sync:2`: none of them waits for a
 * callback (Express has no `.waitForTaskToken`) or takes more than seconds (Express: 5 minutes).
 * The first state is where the group is entered.
 */
export const EXPRESS_GROUPS = [
  { name: 'receipt and screening', states: ['Accept', 'ScreenRisk'], functions: ['acceptDeclaration', 'screenRisk'] },
  { name: 'assessment and settlement', states: ['AssessTax', 'Settle'], functions: ['assessTax', 'settlePayment'] },
  { name: 'release and audit selection', states: ['Release', 'NotifyRelease', 'SelectForAudit'], functions: ['releaseDeclaration', 'selectForAudit'] },
] as const;

const perThousand = (perDeclaration: number) => perDeclaration * 1000;
const million = 1_000_000;

/** The cost lines every design shares (all but orchestration), per 1,000 declarations. */
function commonLines(usage: Usage, memoryMb: Record<string, number>, p: Prices): CostLine[] {
  const invocations = Object.values(usage.lambda).reduce((sum, f) => sum + f.invocations, 0);
  const gbSeconds = Object.entries(usage.lambda).reduce((sum, [name, f]) => sum + ((memoryMb[name] ?? 128) / 1024) * (f.billedMs / 1000), 0);
  const readUnits = usage.dynamodb.readUnits;
  const writeUnits = usage.dynamodb.writeUnits + usage.dynamodb.indexWriteUnits;
  const apiRequests = Object.entries(usage.apiRequests).reduce((sum, [route, n]) => sum + (route === POLL_ROUTE ? 0 : n), 0) + 1;
  return [
    { service: 'Lambda requests', quantity: perThousand(invocations), unit: 'invocations', usd: perThousand(invocations) * (p.lambda.usdPerMillionRequests / million) },
    { service: 'Lambda duration', quantity: perThousand(gbSeconds), unit: 'GB-s', usd: perThousand(gbSeconds) * p.lambda.usdPerGbSecond },
    { service: 'DynamoDB writes', quantity: perThousand(writeUnits), unit: 'WRU', usd: perThousand(writeUnits) * (p.dynamodb.usdPerMillionWriteRequestUnits / million) },
    { service: 'DynamoDB reads', quantity: perThousand(readUnits), unit: 'RRU', usd: perThousand(readUnits) * (p.dynamodb.usdPerMillionReadRequestUnits / million) },
    { service: 'EventBridge events', quantity: perThousand(usage.events.billedChunks), unit: 'events', usd: perThousand(usage.events.billedChunks) * (p.eventBridge.usdPerMillionCustomEvents / million) },
    { service: 'API Gateway (HTTP API)', quantity: perThousand(apiRequests), unit: 'requests', usd: perThousand(apiRequests) * (p.apiGatewayHttp.usdPerMillionRequests / million) },
    { service: 'SQS', quantity: perThousand(usage.sqsRequests), unit: 'requests', usd: perThousand(usage.sqsRequests) * (p.sqs.usdPerMillionRequests / million) },
  ];
}

const standardLine = (transitions: number, p: Prices): CostLine => ({
  service: 'Step Functions Standard',
  quantity: perThousand(transitions),
  unit: 'transitions',
  usd: perThousand(transitions) * (p.stepFunctions.standardUsdPerMillionTransitions / million),
});

const total = (lines: CostLine[]) => lines.reduce((sum, line) => sum + line.usd, 0);

/** The design as built: the lifecycle is one Standard workflow; usage as counted. */
export function asBuilt(usage: Usage, memoryMb: Record<string, number>, p: Prices = prices): DesignCost {
  const lines = [standardLine(usage.standardTransitions, p), ...commonLines(usage, memoryMb, p)];
  return { design: 'as built', description: 'one Standard execution per declaration; every step a Lambda', lines, totalUsd: total(lines) };
}

/**
 * The synchronous runs of steps ({@link EXPRESS_GROUPS}) as Express sub-workflows: their
 * transitions leave the Standard bill, each run costs one Standard transition (the parent's Task),
 * one Express request and its duration — the Lambda time of its steps, rounded up to 100 ms, at
 * the smallest memory chunk. Lambdas, DynamoDB, events and API stay as counted.
 */
export function expressSubWorkflows(usage: Usage, memoryMb: Record<string, number>, p: Prices = prices): DesignCost {
  let standard = usage.standardTransitions;
  let requests = 0;
  let gbSeconds = 0;
  for (const group of EXPRESS_GROUPS) {
    const runs = usage.transitionsByState[group.states[0]] ?? 0;
    if (runs === 0) continue;
    const moved = group.states.reduce((sum, state) => sum + (usage.transitionsByState[state] ?? 0), 0);
    standard += runs - moved;
    requests += runs;
    const msPerRun = group.functions.reduce((sum, fn) => sum + (usage.lambda[fn]?.billedMs ?? 0), 0) / runs;
    const billedMs = Math.max(1, Math.ceil(msPerRun / p.stepFunctions.expressDurationIncrementMs)) * p.stepFunctions.expressDurationIncrementMs;
    gbSeconds += runs * (billedMs / 1000) * (p.stepFunctions.expressMemoryChunkMb / 1024);
  }
  const lines = [
    standardLine(standard, p),
    { service: 'Step Functions Express requests', quantity: perThousand(requests), unit: 'requests', usd: perThousand(requests) * (p.stepFunctions.expressUsdPerMillionRequests / million) },
    { service: 'Step Functions Express duration', quantity: perThousand(gbSeconds), unit: 'GB-s', usd: perThousand(gbSeconds) * p.stepFunctions.expressUsdPerGbSecond },
    ...commonLines(usage, memoryMb, p),
  ];
  return {
    design: 'Express sub-workflows',
    description: `${EXPRESS_GROUPS.map((g) => g.name).join(', ')} as Express workflows started synchronously by the Standard lifecycle`,
    lines,
    totalUsd: total(lines),
  };
}

/**
 * Express sub-workflows, and lean index entries: the view's entries in the trader and status
 * indexes projected as their keys and a few attributes (under 1 KB) instead of the whole view
 * with its declaration, so each index item written costs one write unit (Developer Guide, GSI
 * writes: an index write is billed by the size of the index item). The number of index items
 * written is as counted; a listing would then read the views it shows (not counted here).
 */
export function expressAndLeanIndexes(usage: Usage, memoryMb: Record<string, number>, p: Prices = prices): DesignCost {
  const lean: Usage = { ...usage, dynamodb: { ...usage.dynamodb, indexWriteUnits: usage.dynamodb.indexItemWrites } };
  return {
    ...expressSubWorkflows(lean, memoryMb, p),
    design: 'Express + lean indexes',
    description: 'the Express sub-workflows, and index entries of keys and a few attributes (≤ 1 KB) instead of whole views',
  };
}
