import { describe, expect, it } from 'vitest';
import { endpointGroups, exampleFromSchema, resolveRef, serverPath } from './openapi';

// A document shaped like the ones mockgate generates (backend/openapi).
const doc = {
  openapi: '3.1.0',
  security: [{ bearerAuth: [] }],
  tags: [
    { name: 'user', description: 'The user records at users.' },
    { name: 'lead', description: 'The lead records at leads.' },
  ],
  components: {
    parameters: {
      Page: { name: 'page', in: 'query', description: 'The page number, from 1.', schema: { type: 'integer', minimum: 1, default: 1 } },
    },
    schemas: {
      LeadCreate: {
        type: 'object',
        properties: {
          id: { type: 'integer', readOnly: true },
          name: { type: 'string' },
          status: { type: ['string', 'null'], enum: [null, 'new', 'won'] },
          value: { type: 'number', minimum: 0 },
          tags: { type: 'array', items: { type: 'string' } },
          createdAt: { type: 'string', format: 'date-time' },
          owner: { $ref: '#/components/schemas/Owner' },
        },
      },
      Owner: { type: 'object', properties: { email: { type: 'string', format: 'email' }, active: { type: 'boolean' } } },
    },
  },
  paths: {
    '/v1/leads': {
      post: {
        tags: ['lead'],
        summary: 'Create a lead',
        operationId: 'createLead',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/LeadCreate' } } } },
        'x-required-scope': 'write',
      },
      get: {
        tags: ['lead'],
        summary: 'List lead records',
        parameters: [{ $ref: '#/components/parameters/Page' }, { name: 'pageSize', in: 'query', schema: { type: 'integer', default: 10 } }],
        'x-required-scope': 'read',
      },
    },
    '/v1/company/{companyId}/users/{id}': {
      parameters: [{ name: 'companyId', in: 'path', required: true, schema: { type: 'string' }, example: '1001' }],
      get: {
        tags: ['user'],
        summary: 'Get a user',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: ['name', 'createdAt'] } },
        ],
      },
    },
    '/openapi.json': {
      get: { tags: ['meta'], summary: 'This document', security: [] },
    },
  },
};

describe('endpointGroups', () => {
  const groups = endpointGroups(doc);

  it('groups by tag in the document’s tag order, then other tags', () => {
    expect(groups.map((g) => g.tag)).toEqual(['user', 'lead', 'meta']);
    expect(groups[1]!.description).toBe('The lead records at leads.');
  });

  it('lists endpoints with method, path, scope and whether they need a key', () => {
    const lead = groups[1]!.endpoints;
    expect(lead.map((e) => e.id)).toEqual(['GET /v1/leads', 'POST /v1/leads']);
    expect(lead[0]).toMatchObject({ method: 'GET', summary: 'List lead records', requiredScope: 'read', needsKey: true, hasBody: false });
    expect(groups[2]!.endpoints[0]!.needsKey).toBe(false);
  });

  it('merges path-item and operation parameters: path ones first, in path order; headers left out', () => {
    const get = groups[0]!.endpoints[0]!;
    expect(get.params.map((p) => `${p.in}:${p.name}`)).toEqual(['path:companyId', 'path:id', 'query:sort']);
    expect(get.params[0]).toMatchObject({ required: true, initial: '1001' });
    expect(get.params[1]).toMatchObject({ type: 'integer', initial: '1' });
    expect(get.params[2]).toMatchObject({ required: false, initial: '', options: ['name', 'createdAt'] });
  });

  it('resolves parameter references and keeps query parameters empty with their default', () => {
    const list = groups[1]!.endpoints[0]!;
    expect(list.params[0]).toMatchObject({ name: 'page', in: 'query', initial: '', defaultValue: '1', description: 'The page number, from 1.' });
    expect(list.params[1]).toMatchObject({ name: 'pageSize', defaultValue: '10' });
  });

  it('builds an example body without read-only fields', () => {
    const create = groups[1]!.endpoints[1]!;
    expect(create.hasBody).toBe(true);
    expect(JSON.parse(create.bodyExample)).toEqual({
      name: 'example name',
      status: 'new',
      value: 1,
      tags: ['example tags'],
      createdAt: '2026-01-15T09:30:00Z',
      owner: { email: 'demo@example.com', active: true },
    });
  });

  it('is empty for something that is not a document', () => {
    expect(endpointGroups(null)).toEqual([]);
    expect(endpointGroups({ paths: 3 })).toEqual([]);
  });
});

describe('resolveRef and exampleFromSchema', () => {
  it('follows local references and stops on cycles', () => {
    const cyclic = { a: { $ref: '#/b' }, b: { $ref: '#/a' } };
    expect(resolveRef(cyclic, { $ref: '#/a' })).toEqual({ $ref: '#/a' });
    expect(resolveRef(doc, { $ref: '#/components/schemas/Owner' })).toBe(doc.components.schemas.Owner);
    expect(resolveRef(doc, { $ref: 'other.json#/x' })).toEqual({ $ref: 'other.json#/x' });
  });

  it('prefers an example, then the enum, then the type', () => {
    expect(exampleFromSchema(doc, { type: 'string', example: 'given' })).toBe('given');
    expect(exampleFromSchema(doc, { type: 'integer', enum: [7, 8] })).toBe(7);
    expect(exampleFromSchema(doc, { oneOf: [{ type: 'boolean' }, { type: 'string' }] })).toBe(true);
    expect(exampleFromSchema(doc, { type: 'string', format: 'date' })).toBe('2026-01-15');
  });

  it('bounds recursion in self-referencing schemas', () => {
    const self = { components: { schemas: { Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } } } } };
    const ex = JSON.stringify(exampleFromSchema(self, { $ref: '#/components/schemas/Node' }));
    expect(ex.length).toBeLessThan(200);
  });
});

// A vendor's document as an imported API serves it: OpenAPI 3.0, paths under
// the server's path, security per operation (petstore3.yaml's shape).
const vendor = {
  openapi: '3.0.4',
  servers: [{ url: 'http://127.0.0.1:7705/api/v3' }],
  security: [{ api_key: [] }],
  paths: {
    '/pet/{petId}': {
      get: {
        tags: ['pet'],
        parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }],
        security: [{ api_key: [] }, { petstore_auth: ['write:pets', 'read:pets'] }],
      },
      post: {
        tags: ['pet'],
        requestBody: { content: { 'application/json; charset=utf-8': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
      },
    },
    '/store/inventory': { get: { tags: ['store'], security: [] } },
    '/user/login': { get: { tags: ['user'], security: [{}, { api_key: [] }] } },
  },
};

describe('endpointGroups on a vendor document', () => {
  const eps = endpointGroups(vendor).flatMap((g) => g.endpoints);

  it('puts the paths under the first server’s path', () => {
    expect(eps.map((e) => e.id)).toEqual(['GET /api/v3/pet/{petId}', 'POST /api/v3/pet/{petId}', 'GET /api/v3/store/inventory', 'GET /api/v3/user/login']);
  });

  it('keeps each operation’s security, else the document’s; [] and {} need no key', () => {
    expect(eps[0]!.security).toEqual([{ api_key: [] }, { petstore_auth: ['write:pets', 'read:pets'] }]);
    expect(eps[1]!.security).toEqual([{ api_key: [] }]);
    expect(eps.map((e) => e.needsKey)).toEqual([true, true, false, false]);
  });

  it('takes a JSON body of another JSON media type', () => {
    expect(eps[1]!.hasBody).toBe(true);
    expect(JSON.parse(eps[1]!.bodyExample)).toEqual({ name: 'example name' });
  });
});

describe('serverPath', () => {
  it.each([
    [{ servers: [{ url: 'http://127.0.0.1:7705/api/v3/' }] }, '/api/v3'],
    [{ servers: [{ url: 'http://127.0.0.1:7701' }] }, ''],
    [{ servers: [{ url: '/v1' }] }, '/v1'],
    [{ servers: [{ url: 'https://{tenant}.example.com/{version}', variables: { tenant: { default: 'a' }, version: { default: 'v2' } } }] }, '/v2'],
    [{ servers: [] }, ''],
    [{}, ''],
    [null, ''],
  ])('%j → %s', (d, want) => {
    expect(serverPath(d)).toBe(want);
  });
});
