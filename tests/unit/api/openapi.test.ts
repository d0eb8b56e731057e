import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { routes, scopeOf } from '../../../infra/app-model.js';
import { AmendmentRequest, CancellationRequest, Declaration } from '../../../functions/domain/declaration/index.js';
import { WebhookRegistration } from '../../../functions/domain/notification/index.js';
import { OPERATIONS, openApiDocument } from '../../../functions/shared/openapi.js';
import { PaymentNotice, WorkItemsQuery } from '../../../functions/shared/request-schemas.js';

const document = openApiDocument() as any;
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
const documented = Object.entries(document.paths as Record<string, any>).flatMap(([path, item]) =>
  Object.keys(item).filter((m) => METHODS.includes(m)).map((method) => `${method.toUpperCase()} ${path}`),
);
const op = (method: string, path: string) => document.paths[path][method];
const draft2020 = (schema: z.ZodType) => {
  const { $schema: _, ...body } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return body;
};

describe('the OpenAPI 3.1 document of the e-port API', () => {
  it('is OpenAPI 3.1 with JSON Schema 2020-12 and a JWT bearer scheme', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(document.components.securitySchemes.jwt).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('documents every route of the app model, and no route the app model does not have', () => {
    const real = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(documented)).toEqual(new Set(real));
    expect(documented).toHaveLength(real.length);
    expect(new Set(Object.keys(OPERATIONS))).toEqual(new Set(real));
  });

  it('requires on each operation the scopes of the roles the app model gives its route', () => {
    for (const route of routes) {
      expect(op(route.method.toLowerCase(), route.path).security, `${route.method} ${route.path}`).toEqual([{ jwt: route.roles.map(scopeOf) }]);
    }
  });

  it('derives request schemas from the zod models the handlers validate with', () => {
    expect(op('post', '/declarations').requestBody.content['application/json'].schema).toEqual(draft2020(Declaration));
    expect(op('post', '/declarations/{id}/amendments').requestBody.content['application/json'].schema).toEqual(draft2020(AmendmentRequest));
    expect(op('post', '/declarations/{id}/cancellation').requestBody.content['application/json'].schema).toEqual(draft2020(CancellationRequest));
    expect(op('post', '/declarations/{id}/payments').requestBody.content['application/json'].schema).toEqual(draft2020(PaymentNotice));
    expect(op('put', '/notifications/webhook').requestBody.content['application/json'].schema).toEqual(draft2020(WebhookRegistration));
    expect(op('get', '/work-items').parameters.filter((p: any) => p.in === 'query').map((p: any) => [p.name, p.required])).toEqual(
      Object.keys(WorkItemsQuery.shape).map((name) => [name, name === 'queue']),
    );
  });

  it('offers WCO DMS XML where the route reads it', () => {
    for (const path of ['/declarations', '/declarations/{id}/amendments', '/declarations/{id}/cancellation']) {
      expect(op('post', path).requestBody.content['application/xml'].schema).toEqual({ type: 'string' });
    }
  });

  it('declares each path template parameter, and answers errors as {code, message, pointer}', () => {
    for (const route of routes) {
      const operation = op(route.method.toLowerCase(), route.path);
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, n]) => n);
      expect(operation.parameters?.filter((p: any) => p.in === 'path').map((p: any) => p.name) ?? []).toEqual(names);
      expect(operation.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
    expect(document.components.schemas.Error.required).toEqual(['code', 'message']);
  });
});
