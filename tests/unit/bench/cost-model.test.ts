/**
 * The benchmark's cost model (bench/cost-model.ts) prices counted usage with bench/prices.json.
 * Expected figures are worked by hand from the published us-east-1 prices: Step Functions
 * Standard $0.025 per 1,000 transitions, Express $1.00 per million requests and $0.00001667 per
 * GB-second in 64 MB chunks and 100 ms steps, Lambda (arm64) $0.20 per million requests and
 * $0.0000133334 per GB-second, DynamoDB on-demand $0.625 per million WRU and $0.125 per million RRU,
 * EventBridge $1.00 per million events, API Gateway HTTP API $1.00 per million, SQS $0.40 per million.
 */
import { describe, expect, it } from 'vitest';
import { asBuilt, expressAndLeanIndexes, expressSubWorkflows } from '../../../bench/cost-model.js';
import type { Usage } from '../../../bench/metrics.js';

/** One declaration: 10 transitions, 8 Lambda calls of 50 ms at 512 MB, 40 WRU, 20 RRU, … */
const usage: Usage = {
  apiRequests: { 'POST /declarations': 1, 'GET /declarations/{id}': 5, 'POST /declarations/{id}/payments': 1 },
  standardTransitions: 10,
  expressRequests: 0,
  expressBilledMs: 0,
  transitionsByState: { Accept: 1, ScreenRisk: 1, RouteByChannel: 1, AssessTax: 1, Settle: 1, PaymentRoute: 1, Release: 1, NotifyRelease: 1, SelectForAudit: 1, Cleared: 1 },
  lambda: {
    acceptDeclaration: { invocations: 1, billedMs: 50 },
    screenRisk: { invocations: 1, billedMs: 50 },
    assessTax: { invocations: 1, billedMs: 50 },
    settlePayment: { invocations: 1, billedMs: 50 },
    releaseDeclaration: { invocations: 1, billedMs: 50 },
    selectForAudit: { invocations: 1, billedMs: 50 },
    submitDeclaration: { invocations: 1, billedMs: 50 },
    recordPayment: { invocations: 1, billedMs: 50 },
  },
  dynamodb: { readRequests: 20, writeRequests: 20, requests: {}, readUnits: 20, writeUnits: 30, indexWriteUnits: 10, indexItemWrites: 4, bytesWritten: 20_000 },
  events: { published: 1, billedChunks: 1, deliveries: 1 },
  sqsRequests: 3,
};
const memoryMb = Object.fromEntries(Object.keys(usage.lambda).map((name) => [name, 512]));
const line = (lines: { service: string; usd: number }[], service: string) => lines.find((l) => l.service === service)?.usd;

describe('the cost of 1,000 declarations', () => {
  it('prices the design as built, service by service', () => {
    const cost = asBuilt(usage, memoryMb);
    expect(line(cost.lines, 'Step Functions Standard')).toBeCloseTo(10_000 * 0.000025, 10); // $0.25
    expect(line(cost.lines, 'Lambda requests')).toBeCloseTo(8_000 * 0.0000002, 10); // $0.0016
    expect(line(cost.lines, 'Lambda duration')).toBeCloseTo(8_000 * 0.5 * 0.05 * 0.0000133334, 10); // 200 GB-s
    expect(line(cost.lines, 'DynamoDB writes')).toBeCloseTo(40_000 * 0.000000625, 10); // $0.025
    expect(line(cost.lines, 'DynamoDB reads')).toBeCloseTo(20_000 * 0.000000125, 10); // $0.0025
    expect(line(cost.lines, 'EventBridge events')).toBeCloseTo(1_000 * 0.000001, 10);
    expect(line(cost.lines, 'SQS')).toBeCloseTo(3_000 * 0.0000004, 10);
    expect(cost.totalUsd).toBeCloseTo(cost.lines.reduce((sum, l) => sum + l.usd, 0), 12);
  });

  it('prices the API requests a party makes, and one read of the result instead of the polls', () => {
    // 1 submission + 1 payment + 1 read; the 5 polls are the benchmark's client, not the design.
    expect(line(asBuilt(usage, memoryMb).lines, 'API Gateway (HTTP API)')).toBeCloseTo(3_000 * 0.000001, 10);
  });

  it('moves the synchronous runs of steps to Express: one parent transition and one Express request each', () => {
    const cost = expressSubWorkflows(usage, memoryMb);
    // Groups: Accept+ScreenRisk, AssessTax+Settle, Release+NotifyRelease+SelectForAudit: 7 transitions become 3.
    expect(line(cost.lines, 'Step Functions Standard')).toBeCloseTo(6_000 * 0.000025, 10);
    expect(line(cost.lines, 'Step Functions Express requests')).toBeCloseTo(3_000 * 0.000001, 10);
    // Each run: two 50 ms Lambdas = 100 ms, billed as 100 ms at 64 MB.
    expect(line(cost.lines, 'Step Functions Express duration')).toBeCloseTo(3_000 * 0.1 * (64 / 1024) * 0.00001667, 12);
    expect(cost.totalUsd).toBeLessThan(asBuilt(usage, memoryMb).totalUsd);
  });

  it('prices lean index entries at one write unit per index item written', () => {
    const cost = expressAndLeanIndexes(usage, memoryMb);
    // 30 table WRU + 4 index items of at most 1 KB.
    expect(line(cost.lines, 'DynamoDB writes')).toBeCloseTo(34_000 * 0.000000625, 10);
    expect(line(cost.lines, 'Step Functions Standard')).toBeCloseTo(line(expressSubWorkflows(usage, memoryMb).lines, 'Step Functions Standard')!, 12);
  });
});
