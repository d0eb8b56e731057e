import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Table } from 'dynamodb-toolbox/table';
import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import { number } from 'dynamodb-toolbox/schema/number';
import { boolean } from 'dynamodb-toolbox/schema/boolean';
import { any } from 'dynamodb-toolbox/schema/any';
import { record } from 'dynamodb-toolbox/schema/record';
import { gzippedJson, gzippedText, jsonText } from './transformers.js';

/**
 * The single table's access patterns as dynamodb-toolbox entities (DESIGN.md §5):
 *  - history event   PK=DECL#<id>  SK=EVT#<seq, 10 digits>  (system of record, append-only)
 *  - current view    PK=DECL#<id>  SK=VIEW                  (derived; GSI1 by trader, GSI2 by status)
 *  - callback token  PK=DECL#<id>  SK=CALLBACK#<kind>
 *  - LRN claim       PK=LRN#<trader>#<lrn>  SK=CLAIM        (idempotent receipt per trader reference)
 *  - sequence        PK=SEQ#<name>  SK=SEQ                  (atomic counters, e.g. entry numbers)
 *  - work item       PK=DECL#<id>  SK=WORKITEM              (GSI2 by queue and status: QUEUE#<queue>#<status>)
 *  - risk log        PK=RISKLOG#<completedOn>  SK=<id>#<at>#<type>  (screenings and outcomes, for measurement)
 *  - risk profile    PK=RISKPROFILE  SK=<profile id>#v<version, 6 digits>  (drafts and approved versions)
 *  - sample counter  PK=RISKLANE#<lane id>@<version>  SK=SAMPLE#<profile id>@<version>  (unselected hits in a row)
 *  - execution page  PK=DECL#<id>  SK=SFNHIST#<execution name>#<page, 6 digits>  (archived Step Functions history)
 *  - what-if         PK=WHATIF#<id>  SK=CAMPAIGN | OUTCOME#<declaration id>       (campaign and per-declaration outcomes)
 *  - notification    PK=ORG#<org>  SK=NOTIF#<id>    (GSI2 by organisation and state: NOTIFY#<org>#<UNACKNOWLEDGED|ACKNOWLEDGED>,
 *                    sorted <issuedAt>#<declaration>#<seq>; TTL at expiry)
 *  - webhook         PK=ORG#<org>  SK=WEBHOOK       (where an organisation's notifications are pushed)
 *  - audit case      PK=AUDITCASE#<case id>  SK=CASE  (GSI2 by status: AUDITCASES#<status>, sorted <dueOn>#<case id>)
 */
export const declarationKey = (id: string) => `DECL#${id}`;
export const eventSortKey = (seq: number) => `EVT#${String(seq).padStart(10, '0')}`;

export function createEntities(documentClient: DynamoDBDocumentClient, tableName: string) {
  const table = new Table({
    documentClient,
    name: tableName,
    partitionKey: { name: 'PK', type: 'string' },
    sortKey: { name: 'SK', type: 'string' },
    indexes: {
      byTrader: { type: 'global', partitionKey: { name: 'GSI1PK', type: 'string' }, sortKey: { name: 'GSI1SK', type: 'string' } },
      byStatus: { type: 'global', partitionKey: { name: 'GSI2PK', type: 'string' }, sortKey: { name: 'GSI2SK', type: 'string' } },
    },
  });

  const historyEvent = new Entity({
    name: 'HistoryEvent',
    table,
    timestamps: false,
    schema: item({
      declarationId: string().key(),
      seq: number().key(),
      type: string(),
      schemaVersion: number(),
      actor: string(),
      correlationId: string(),
      occurredAt: string(),
      data: any(),
      prevHash: string(),
      hash: string(),
    }),
    computeKey: ({ declarationId, seq }) => ({ PK: declarationKey(declarationId), SK: eventSortKey(seq) }),
  });

  const viewFields = item({
    id: string().key(),
    version: number(),
    status: string(),
    jurisdiction: string(),
    traderId: string(),
    lrn: string(),
    // The view is read or written ~18 times per declaration and nothing queries inside its nested
    // parts: as JSON text they cost 9 % less CPU per declaration in npm run bench than as maps. The
    // declaration, the part that grows with the goods items, is gzipped: as plain JSON the view
    // grew (2.27 -> 2.61 KB on the bench mix, 253 KB of the 400 KB limit for 420 items); gzipped it
    // is 2.14 KB. The submitted declaration stays readable as a map in DeclarationSubmitted.
    declaration: any().transform(gzippedJson),
    entryNumber: string().optional(),
    acceptedAt: string().optional(),
    completedOn: string().optional(),
    taxBinding: any().transform(jsonText).optional(),
    paymentDeadline: string().optional(),
    payment: any().transform(jsonText).optional(),
    security: any().transform(jsonText).optional(),
    ledger: any().transform(jsonText).optional(),
    channel: string().optional(),
    taxLines: any().transform(jsonText).optional(),
    taxTotal: any().transform(jsonText).optional(),
    auditSelected: boolean().optional(),
    headSeq: number(),
    headHash: string(),
    updatedAt: string(),
  });
  // Index keys are derived from the view on every put, so the indexes can never disagree with it.
  const view = new Entity({
    name: 'DeclarationView',
    table,
    timestamps: false,
    schema: viewFields.and((fields) => ({
      GSI1PK: string().link<typeof fields>(({ traderId }) => `TRADER#${traderId}`),
      GSI1SK: string().link<typeof fields>(({ updatedAt, id }) => `${updatedAt}#${id}`),
      GSI2PK: string().link<typeof fields>(({ status }) => `STATUS#${status}`),
      GSI2SK: string().link<typeof fields>(({ updatedAt, id }) => `${updatedAt}#${id}`),
    })),
    computeKey: ({ id }) => ({ PK: declarationKey(id), SK: 'VIEW' }),
  });

  const callback = new Entity({
    name: 'Callback',
    table,
    timestamps: false,
    schema: item({
      declarationId: string().key(),
      kind: string().key(),
      taskToken: string(),
      createdAt: string(),
      details: record(string(), any()),
    }),
    computeKey: ({ declarationId, kind }) => ({ PK: declarationKey(declarationId), SK: `CALLBACK#${kind}` }),
  });

  const lrnClaim = new Entity({
    name: 'LrnClaim',
    table,
    timestamps: false,
    schema: item({ traderId: string().key(), lrn: string().key(), declarationId: string() }),
    computeKey: ({ traderId, lrn }) => ({ PK: `LRN#${traderId}#${lrn}`, SK: 'CLAIM' }),
  });

  const sequence = new Entity({
    name: 'Sequence',
    table,
    timestamps: false,
    schema: item({ name: string().key(), value: number() }),
    computeKey: ({ name }) => ({ PK: `SEQ#${name}`, SK: 'SEQ' }),
  });

  const workItemFields = item({
    declarationId: string().key(),
    version: number(),
    queue: string(),
    status: string(),
    channel: string(),
    taskTokenRef: any().optional(),
    createdAt: string(),
    updatedAt: string(),
    dueAt: string(),
    escalated: boolean(),
    explanation: string(),
    summary: any(),
    requestedDocuments: any().optional(),
    request: any().optional(),
  });
  // The officer's queue is an index query on the byStatus GSI; the key moves with the item's queue and status.
  const workItem = new Entity({
    name: 'WorkItem',
    table,
    timestamps: false,
    schema: workItemFields.and((fields) => ({
      GSI2PK: string().link<typeof fields>(({ queue, status }) => `QUEUE#${queue}#${status}`),
      GSI2SK: string().link<typeof fields>(({ createdAt, declarationId }) => `${createdAt}#${declarationId}`),
    })),
    computeKey: ({ declarationId }) => ({ PK: declarationKey(declarationId), SK: 'WORKITEM' }),
  });

  const riskLog = new Entity({
    name: 'RiskLog',
    table,
    timestamps: false,
    schema: item({
      completedOn: string().key(),
      declarationId: string().key(),
      at: string().key(),
      type: string().key(),
      data: any(),
    }),
    computeKey: ({ completedOn, declarationId, at, type }) => ({ PK: `RISKLOG#${completedOn}`, SK: `${declarationId}#${at}#${type}` }),
  });

  // One partition holds every profile version: the set is small and screening reads it whole.
  const riskProfile = new Entity({
    name: 'RiskProfileVersion',
    table,
    timestamps: false,
    schema: item({
      profileId: string().key(),
      version: number().key(),
      status: string(),
      profile: any(),
      draftedAt: string(),
      approvedAt: string().optional(),
    }),
    computeKey: ({ profileId, version }) => ({ PK: 'RISKPROFILE', SK: `${profileId}#v${String(version).padStart(6, '0')}` }),
  });

  // One partition per lane version: screening reads the lane's counters with one query.
  const sampleCounter = new Entity({
    name: 'SampleCounter',
    table,
    timestamps: false,
    schema: item({ lane: string().key(), profile: string().key(), unselected: number() }),
    computeKey: ({ lane, profile }) => ({ PK: `RISKLANE#${lane}`, SK: `SAMPLE#${profile}` }),
  });

  const executionPage = new Entity({
    name: 'ExecutionHistoryPage',
    table,
    timestamps: false,
    schema: item({
      declarationId: string().key(),
      executionName: string().key(),
      page: number().key(),
      // The page's JSON text, gzipped: a lifecycle's ~31 KB of history is stored in ~2.4 KB.
      events: any().transform(gzippedText),
    }),
    computeKey: ({ declarationId, executionName, page }) => ({
      PK: declarationKey(declarationId),
      SK: `SFNHIST#${executionName}#${String(page).padStart(6, '0')}`,
    }),
  });

  const whatIfCampaign = new Entity({
    name: 'WhatIfCampaign',
    table,
    timestamps: false,
    schema: item({
      id: string().key(),
      selection: any(),
      overrides: any(),
      status: string(),
      createdAt: string(),
      total: number().optional(),
      done: number(),
      summary: any().optional(),
    }),
    computeKey: ({ id }) => ({ PK: `WHATIF#${id}`, SK: 'CAMPAIGN' }),
  });

  const whatIfOutcome = new Entity({
    name: 'WhatIfOutcome',
    table,
    timestamps: false,
    schema: item({ campaignId: string().key(), declarationId: string().key(), outcome: any() }),
    computeKey: ({ campaignId, declarationId }) => ({ PK: `WHATIF#${campaignId}`, SK: `OUTCOME#${declarationId}` }),
  });

  const notificationFields = item({
    org: string().key(),
    id: string().key(),
    code: string(),
    functionCode: string(),
    meaning: string(),
    declarationId: string(),
    version: number(),
    lrn: string(),
    mrn: string().optional(),
    status: string(),
    issuedAt: string(),
    expiresAt: string(),
    event: any(),
    details: any(),
    acknowledgedAt: string().optional(),
    push: any().optional(),
  });
  // The pull queue is an index query per organisation and state; the key moves on acknowledgement.
  const notification = new Entity({
    name: 'Notification',
    table,
    timestamps: false,
    schema: notificationFields.and((fields) => ({
      GSI2PK: string().link<typeof fields>(({ org, acknowledgedAt }) => `NOTIFY#${org}#${acknowledgedAt ? 'ACKNOWLEDGED' : 'UNACKNOWLEDGED'}`),
      // Oldest first; changes recorded at the same instant in the order of their declaration's history.
      GSI2SK: string().link<typeof fields>(({ issuedAt, declarationId, event }) => `${issuedAt}#${declarationId}#${String((event as { seq: number }).seq).padStart(10, '0')}`),
      // DynamoDB TTL removes it once expired (epoch seconds); reads filter it out before then.
      ttl: number().link<typeof fields>(({ expiresAt }) => Math.floor(Date.parse(expiresAt) / 1000)),
    })),
    computeKey: ({ org, id }) => ({ PK: `ORG#${org}`, SK: `NOTIF#${id}` }),
  });

  const webhook = new Entity({
    name: 'Webhook',
    table,
    timestamps: false,
    schema: item({ org: string().key(), url: string(), secret: string().optional(), registeredAt: string() }),
    computeKey: ({ org }) => ({ PK: `ORG#${org}`, SK: 'WEBHOOK' }),
  });

  const auditCaseFields = item({
    id: string().key(),
    declarationId: string(),
    version: number(),
    status: string(),
    jurisdiction: string(),
    traderId: string(),
    entryNumber: string().optional(),
    openedAt: string(),
    releasedOn: string(),
    dueOn: string(),
    auditWindowEndsOn: string().optional(),
    selectedBy: any(),
    explanation: string(),
    summary: any(),
    assessedTax: any(),
    establishedTax: any(),
    findings: any(),
    actions: any(),
    updatedAt: string(),
    closedAt: string().optional(),
    conclusion: string().optional(),
  });
  // The auditors' queue is an index query per status, due soonest first; the key moves on closure.
  const auditCase = new Entity({
    name: 'AuditCase',
    table,
    timestamps: false,
    schema: auditCaseFields.and((fields) => ({
      GSI2PK: string().link<typeof fields>(({ status }) => `AUDITCASES#${status}`),
      GSI2SK: string().link<typeof fields>(({ dueOn, id }) => `${dueOn}#${id}`),
    })),
    computeKey: ({ id }) => ({ PK: `AUDITCASE#${id}`, SK: 'CASE' }),
  });

  return {
    table, historyEvent, view, callback, lrnClaim, sequence, workItem, riskLog, riskProfile,
    sampleCounter, executionPage, whatIfCampaign, whatIfOutcome, notification, webhook, auditCase,
  };
}
export type Entities = ReturnType<typeof createEntities>;
