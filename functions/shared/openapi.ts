import { z } from 'zod';
import { routes, scopeOf, type RouteModel } from '../../infra/app-model.js';
import { AdditionalMessageDecision, AmendmentRequest, CancellationRequest, Declaration } from '../domain/declaration/index.js';
import { WebhookRegistration } from '../domain/notification/index.js';
import { OfficerDecision, ProfileDraft } from '../domain/risk/index.js';
import { AuditClosure, AuditFindings } from '../domain/audit/case-work.js';
import { WhatIfRequest } from '../replay/what-if-request.js';
import { AuditCasesQuery, DocumentsAnswer, NotificationsQuery, PaymentNotice, ProfileApproval, ReplayRequest, ReportPeriod, WorkItemsQuery } from './request-schemas.js';

/**
 * The OpenAPI 3.1 document of the e-port API, built from the app model's routes (path, roles,
 * summary) and, for each, the very zod schemas its handler validates with — converted to JSON
 * Schema 2020-12, the dialect OpenAPI 3.1 uses — so the document cannot drift from the code.
 */

/** What the app model does not say about an operation: its inputs and answers. */
export interface OperationContract {
  /** JSON body (a zod model) and/or an XML body (a WCO DMS message, described in words). */
  body?: { json?: z.ZodType; xml?: string };
  query?: z.ZodObject;
  /** Accepts an `Idempotency-Key` header (a repeat answers the first answer). */
  idempotent?: boolean;
  /** Status → what it means; 401/403 (the JWT authorizer) and 500 are added to every operation. */
  responses: Record<number, string>;
}

const WCO_AMENDMENT = 'A WCO DMS 3.6 additional message with TypeCode COR; /Declaration/ID is the entry number (MRN), the Amendment pointers say what changes';
const WCO_CANCELLATION = 'A WCO DMS 3.6 additional message with TypeCode INV; /Declaration/ID is the entry number (MRN)';
const NOT_FOUND = 'No such declaration — or another organisation\'s (a declarant sees only its own)';

/** Every route's contract, keyed `METHOD path` as the app model's routes are. */
export const OPERATIONS: Readonly<Record<string, OperationContract>> = {
  'POST /declarations': {
    body: { json: Declaration, xml: 'A WCO DMS 3.6 declaration (MetaData/Declaration, WCOTypeName DEC)' },
    idempotent: true,
    responses: {
      202: 'Received: `{id, version, status, lrn}`; the lifecycle runs',
      200: 'The same trader reference (LRN) again: the declaration it already names',
      400: 'Malformed, oversized or hostile body (coded CWY-INPUT/JSON/XML-…)',
      409: 'The same request is still being processed (RequestInProgress)',
      415: 'Neither JSON nor XML',
      422: 'Every rule the submission breaks, coded, with pointers; nothing stored',
    },
  },
  'GET /declarations/{id}': { responses: { 200: 'Status, entry number, channel, tax lines, ledger and the hash-chained history', 404: NOT_FOUND } },
  'POST /declarations/{id}/amendments': {
    body: { json: AmendmentRequest, xml: WCO_AMENDMENT },
    idempotent: true,
    responses: {
      202: '`outcome` APPLIED (the next version runs) or REQUESTED (after settlement: an officer decides)',
      404: NOT_FOUND,
      409: 'The declaration is rejected, cancelled, seized or failed, or another request waits for an officer',
      415: 'Neither JSON nor XML',
      422: 'Every problem of the amended declaration, coded, with pointers; nothing stored',
    },
  },
  'POST /declarations/{id}/cancellation': {
    body: { json: CancellationRequest, xml: WCO_CANCELLATION },
    idempotent: true,
    responses: {
      202: '`outcome` APPLIED (CANCELLED) or REQUESTED (after settlement: an officer decides)',
      404: NOT_FOUND,
      409: 'The declaration has already ended, or another request waits for an officer',
      415: 'Neither JSON nor XML',
      422: 'The message is for another declaration, or incomplete',
    },
  },
  'POST /declarations/{id}/decisions': {
    body: { json: z.union([OfficerDecision, AdditionalMessageDecision]) },
    responses: { 202: 'Recorded; the workflow resumes (or the request is granted or refused)', 404: NOT_FOUND, 409: 'Nothing waits for an officer on this declaration', 422: 'Invalid decision' },
  },
  'POST /declarations/{id}/payments': {
    body: { json: PaymentNotice },
    responses: {
      202: 'Paid: the tax notice (the workflow resumes, or secured goods\' hold is released) or, after release, the balance post-clearance work left',
      200: 'The same bank reference again: the first payment',
      404: NOT_FOUND,
      409: 'Nothing owed: not waiting for a payment, already paid, cancelled (Conflict); or a refund owed to the trader (CWY-PAY-007)',
      422: 'Not the amount due (tax + late fee, or the balance after release) or not its currency (PaymentMismatch)',
    },
  },
  'POST /declarations/{id}/documents': {
    body: { json: DocumentsAnswer },
    responses: { 202: 'Recorded; the work item returns to the officer', 404: NOT_FOUND, 409: 'No documents were requested' },
  },
  'GET /notifications': { query: NotificationsQuery, responses: { 200: 'The organisation\'s notifications, oldest first' } },
  'POST /notifications/{id}/acknowledgement': { responses: { 200: '`{id, acknowledgedAt}`', 404: 'No such notification of the organisation' } },
  'PUT /notifications/webhook': { body: { json: WebhookRegistration }, responses: { 200: 'Registered', 422: 'Not an https URL (http only on this machine)' } },
  'DELETE /notifications/webhook': { responses: { 200: 'No more pushes' } },
  'GET /work-items': { query: WorkItemsQuery, responses: { 200: 'The queue\'s work items, oldest first' } },
  'GET /risk/report': { query: ReportPeriod, responses: { 200: 'Risk measurement over the period', 422: 'Invalid period' } },
  'POST /risk/profiles': { body: { json: ProfileDraft }, responses: { 201: 'A new draft', 200: 'The same draft again', 422: 'Invalid profile' } },
  'POST /risk/profiles/{id}/versions/{v}/approve': {
    body: { json: ProfileApproval },
    responses: { 200: 'Approved (or already approved)', 403: 'The author cannot approve (four eyes)', 404: 'No such profile version', 409: 'Moved on meanwhile', 422: 'Not yet in force' },
  },
  'GET /openapi.json': { responses: { 200: 'This document' } },
  'GET /declarations/{id}/history/verify': {
    responses: { 200: '`{ok, length, head}`, or `{ok: false, brokenAt, reason, event}` at the first broken link; the anchored head and archived histories checked', 404: NOT_FOUND },
  },
  'POST /audits/replays': {
    body: { json: ReplayRequest },
    responses: { 200: 'Step by step IDENTICAL / DIVERGED (both values) / NOT_REPLAYED / EXTRA; nothing published, nothing live written', 404: NOT_FOUND, 422: 'Invalid request' },
  },
  'POST /audits/what-if': { body: { json: WhatIfRequest }, responses: { 202: '`{id}`: the what-if runs', 422: 'Invalid selection or reference data' } },
  'GET /audits/what-if/{id}': { responses: { 200: 'Progress (`done`/`total`) and, once DONE, channel changes, tax deltas, revenue effect and hits', 404: 'No such what-if' } },
  'GET /audits/cases': { query: AuditCasesQuery, responses: { 200: 'The cases in that status, due soonest first' } },
  'GET /audits/cases/{id}': { responses: { 200: 'The case', 404: 'No such case' } },
  'POST /audits/cases/{id}/findings': {
    body: { json: AuditFindings },
    responses: {
      201: 'Recorded: `outcome` SUPPLEMENTARY_ASSESSMENT (with late fee), REFUND (with interest) or NO_TAX_EFFECT, and the ledger entries',
      200: 'The same reference again: what it led to the first time',
      404: 'No such case',
      409: 'The case is closed, the declaration moved on to another version, or the history moved meanwhile (retry)',
      422: 'Out of time under the limitation clock in force (CWY-AUD-001 recovery, CWY-AUD-002 refund claim, with the clock), or invalid findings (CWY-AUD-003…006); nothing stored',
    },
  },
  'POST /audits/cases/{id}/closure': { body: { json: AuditClosure }, responses: { 200: 'Closed (or already closed)', 404: 'No such case', 409: 'The history moved meanwhile (retry)' } },
  'GET /audits/overrides': { query: ReportPeriod, responses: { 200: 'Officers\' decisions against the engine\'s advice, per kind and per officer', 422: 'Invalid period' } },
};

/** JSON Schema 2020-12 of a zod schema, as a client sends it (defaults not yet applied). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return body;
}

const ERROR = { $ref: '#/components/schemas/Error' };

/** The OpenAPI 3.1 document of every route of the app model. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const contract = OPERATIONS[`${route.method} ${route.path}`];
    if (!contract) throw new Error(`${route.method} ${route.path} has no contract in OPERATIONS`);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, contract);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Clearway e-port API',
      version: '1.0.0',
      description:
        'Declarations (canonical JSON or WCO DMS 3.6 XML), amendments and cancellations, officer decisions, payments, ' +
        'notifications (CDS DMS codes) and risk administration. Every route needs a JWT bearer token whose scopes name ' +
        'one of its roles (clearway/declarant, clearway/officer, clearway/auditor, clearway/admin); a declarant token names ' +
        'its organisation (`org`) and sees only that organisation\'s declarations.',
    },
    security: [{ jwt: [] }],
    paths,
    components: {
      securitySchemes: {
        jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'RS256; scopes clearway/<role>; claim `org` for a declarant' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', description: 'Stable code: a named error (e.g. NotFound) or a catalogue code (CWY-…)' },
            message: { type: 'string' },
            pointer: { type: 'string', description: 'JSON Pointer (JSON) or element path (XML) of the offending field' },
            errors: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, pointer: { type: 'string' } } } },
          },
        },
      },
    },
  };
}

function operation(route: RouteModel, contract: OperationContract): Record<string, unknown> {
  const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const query = contract.query ? jsonSchemaOf(contract.query) : undefined;
  const queryParameters = Object.entries((query?.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
    name, in: 'query', required: ((query?.required as string[] | undefined) ?? []).includes(name), schema,
  }));
  const headers = contract.idempotent
    ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 }, description: 'A repeat answers the first answer (kept a day); a repeat in progress answers 409' }]
    : [];
  const content: Record<string, unknown> = {};
  if (contract.body?.json) content['application/json'] = { schema: jsonSchemaOf(contract.body.json) };
  if (contract.body?.xml) content['application/xml'] = { schema: { type: 'string' }, description: contract.body.xml };
  const answers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(contract.responses).map(([status, text]) => [status, text])),
    401: 'No valid bearer token',
    403: `The token has none of the roles ${route.roles.join(', ')}` + (contract.responses[403] ? `; or: ${contract.responses[403]}` : ''),
    500: 'Unexpected error; nothing was stored',
  };
  return {
    operationId: route.function,
    summary: route.summary,
    'x-clearway-roles': route.roles,
    security: [{ jwt: route.roles.map(scopeOf) }],
    ...(pathParameters.length + queryParameters.length + headers.length ? { parameters: [...pathParameters, ...queryParameters, ...headers] } : {}),
    ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
    responses: Object.fromEntries(
      Object.entries(answers).map(([status, description]) => [
        status,
        Number(status) >= 400 ? { description, content: { 'application/json': { schema: ERROR } } } : { description, content: { 'application/json': { schema: { type: 'object' } } } },
      ]),
    ),
  };
}
