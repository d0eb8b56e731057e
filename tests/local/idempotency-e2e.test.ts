import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationStore } from '../../functions/shared/dependencies.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { ttIm001a } from '../support/declarations.js';
import { finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let api: Api;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  ({ runtime, api } = await startTestPlatform('2024-02-22T09:00:00Z'));
  dynamo = new DynamoDBClient({});
});
afterAll(async () => {
  dynamo?.destroy();
  await runtime?.stop();
});

const IDEMPOTENCY_TABLE = 'clearway-local-idempotency';
const withLrn = (lrn: string) => ({ ...ttIm001a(), lrn });
const submissions = async (id: string) => (await declarationStore().getHistory(id)).filter((e) => e.type === 'DeclarationSubmitted').length;
const executions = (id: string) =>
  (runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.lifecycle }) as any).executions.filter((e: any) => e.name.startsWith(id));

describe('idempotent submission', () => {
  describe('by Idempotency-Key (Powertools idempotency)', () => {
    let first: { status: number; body: any };

    it('answers concurrent duplicates with the first answer or 409 while it is in progress — never 500, never a second declaration', async () => {
      const declaration = withLrn('IDEM-KEY-1');
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => api.post('/declarations', declaration, 'application/json', { 'idempotency-key': 'key-1' })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 202 || s === 409), statuses.join()).toBe(true);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'RequestInProgress')).toBe(true);
      first = answers.find((a) => a.status === 202)!;
      expect(answers.filter((a) => a.status === 202).map((a) => a.body)).toEqual(answers.filter((a) => a.status === 202).map(() => first.body));
      expect(await submissions(first.body.id)).toBe(1);
      expect(executions(first.body.id)).toHaveLength(1);
    });

    it('answers a repeat with the first answer, even after the declaration moved on', async () => {
      await api.until(first.body.id, finished);
      const again = await api.post('/declarations', withLrn('IDEM-KEY-1'), 'application/json', { 'idempotency-key': 'key-1' });
      expect(again).toMatchObject({ status: 202, body: first.body });
      expect(first.body.status).toBe('SUBMITTED');
    });

    it('answers 409 RequestInProgress while the first request with that key is still being processed', async () => {
      // Mark the stored record as in progress, as Powertools leaves it while the first request runs.
      const { Items } = await dynamo.send(new ScanCommand({ TableName: IDEMPOTENCY_TABLE }));
      expect(Items).toHaveLength(1);
      await dynamo.send(new UpdateItemCommand({
        TableName: IDEMPOTENCY_TABLE,
        Key: { id: Items![0].id },
        UpdateExpression: 'SET #status = :inProgress, in_progress_expiration = :until',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': { S: 'INPROGRESS' }, ':until': { N: String(Date.now() + 60_000) } },
      }));
      const answer = await api.post('/declarations', withLrn('IDEM-KEY-1'), 'application/json', { 'idempotency-key': 'key-1' });
      expect(answer).toMatchObject({ status: 409, body: { code: 'RequestInProgress' } });
    });

    it('refuses the same key with a different declaration (422), storing nothing', async () => {
      const answer = await api.post('/declarations', withLrn('IDEM-KEY-OTHER'), 'application/json', { 'idempotency-key': 'key-1' });
      expect(answer).toMatchObject({ status: 422, body: { code: 'IdempotencyKeyReused' } });
    });

    it('keeps keys apart per organisation', async () => {
      const other = { ...withLrn('IDEM-KEY-1'), declarant: { id: 'GB553202734852' } };
      const answer = await api.post('/declarations', other, 'application/json', { 'idempotency-key': 'key-1' });
      expect(answer.status).toBe(202);
      expect(answer.body.id).not.toBe(first.body.id);
      await api.until(answer.body.id, finished);
    });

    it('refuses a malformed key before anything is stored', async () => {
      const answer = await api.post('/declarations', withLrn('IDEM-KEY-2'), 'application/json', { 'idempotency-key': 'a key with spaces' });
      expect(answer).toMatchObject({ status: 400, body: { code: 'MalformedInput', pointer: '/headers/idempotency-key' } });
    });
  });

  describe('by trader reference (LRN), without a key', () => {
    it('answers concurrent duplicates with the one declaration (202 once, then 200) or 409 while it is being received', async () => {
      const declaration = withLrn('IDEM-LRN-1');
      const answers = await Promise.all(Array.from({ length: 8 }, () => api.post('/declarations', declaration)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(1);
      expect(statuses.every((s) => [200, 202, 409].includes(s)), statuses.join()).toBe(true);
      const ids = new Set(answers.filter((a) => a.status !== 409).map((a) => a.body.id));
      expect(ids.size).toBe(1);
      const [id] = ids;
      expect(await submissions(id)).toBe(1);
      expect(executions(id)).toHaveLength(1);
      await api.until(id, finished);
    });
  });
});
