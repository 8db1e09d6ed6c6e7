import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDetected, detectDocument, isImportSummary, schemeMapped, summaryHeadline, summaryText, type ImportSummary } from './importdoc';

const repo = new URL('../../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, repo), 'utf8');

describe('detectDocument', () => {
  it('reads the two vendor documents and the example profile of the repository', () => {
    expect(detectDocument(read('backend/openapiimport/testdata/petstore3.yaml'))).toEqual({
      kind: 'openapi',
      version: '3.0.4',
      title: 'Swagger Petstore - OpenAPI 3.0',
    });
    expect(detectDocument(read('backend/openapiimport/testdata/resend.yaml'))).toMatchObject({ kind: 'openapi', version: '3.1.2' });
    expect(detectDocument(read('examples/petshop.yaml'))).toEqual({ kind: 'profile', id: 'petshop', name: 'Pet Shop API' });
  });

  it.each<[string, string, ReturnType<typeof detectDocument>]>([
    ['JSON OpenAPI', '{"openapi":"3.1.0","info":{"title":"T","version":"1"},"paths":{}}', { kind: 'openapi', version: '3.1.0', title: 'T' }],
    ['JSON profile', '{"id":"shop","name":"Shop"}', { kind: 'profile', id: 'shop', name: 'Shop' }],
    ['JSON Swagger', '{"swagger":"2.0"}', { kind: 'swagger', version: '2.0' }],
    ['broken JSON', '{"openapi": ', { kind: 'unknown' }],
    ['a JSON array', '[1]', { kind: 'unknown' }],
    ['quoted YAML key, comment', '"openapi": "3.0.3" # the version\ninfo:\n  version: 1\n  title: \'My API\'\n', { kind: 'openapi', version: '3.0.3', title: 'My API' }],
    ['title only under info', 'openapi: 3.1.0\ninfo:\n  version: 1\npaths:\n  /x:\n    title: no\n', { kind: 'openapi', version: '3.1.0', title: '' }],
    ['an indented openapi key is not top-level', 'id: shop\nx:\n  openapi: 3.0.0\n', { kind: 'profile', id: 'shop', name: '' }],
    ['YAML Swagger', "swagger: '2.0'\n", { kind: 'swagger', version: '2.0' }],
    ['a byte-order mark', '\uFEFFopenapi: 3.0.0\n', { kind: 'openapi', version: '3.0.0', title: '' }],
    ['blank', '  \n', { kind: 'empty' }],
    ['anything else', 'hello: world\n', { kind: 'unknown' }],
  ])('%s', (_, src, want) => {
    expect(detectDocument(src)).toEqual(want);
  });

  it('says what it found in a sentence', () => {
    expect(describeDetected({ kind: 'openapi', version: '3.0.4', title: 'Pets' })).toMatch(/^An OpenAPI 3\.0\.4 document, “Pets”/);
    expect(describeDetected({ kind: 'swagger', version: '2.0' })).toMatch(/imports OpenAPI 3\.0 and 3\.1/);
    expect(describeDetected({ kind: 'profile', id: 'shop', name: '' })).toBe('A mockgate profile (id shop).');
    expect(describeDetected({ kind: 'empty' })).toBe('');
  });
});

const summary: ImportSummary = {
  source: 'petstore3.yaml',
  openapi: '3.0.4',
  title: 'Swagger Petstore - OpenAPI 3.0',
  id: 'petstore',
  basePath: '/api/v3',
  counts: { operations: 19, inResources: 12, routes: 7, public: 3, notServed: 0, resources: 3, securitySchemes: 2, notMapped: 2 },
  resources: [{ name: 'pet', path: 'pet', operations: ['create', 'get', 'update', 'delete'], fields: 6, seed: 25, schema: 'Pet' }],
  security: [
    { name: 'petstore_auth', type: 'oauth2 (implicit)', mappedTo: 'Authorization: Bearer; keys carry scopes', scopes: ['write:pets', 'read:pets'], operations: 8 },
    { name: 'mtls', type: 'mutualTLS', mappedTo: 'not mapped: a client certificate is not a key', operations: 1 },
  ],
  pagination: 'none: no list parameters',
  notMapped: [{ where: 'GET /pet/findByTags', reason: 'tags: an array query parameter is read as its first value' }],
};

describe('the import summary', () => {
  it('recognises the backend’s summary and refuses other shapes', () => {
    expect(isImportSummary(summary)).toBe(true);
    expect(isImportSummary({ ...summary, resources: null, security: null, notMapped: null })).toBe(true);
    expect(isImportSummary({ ...summary, counts: undefined })).toBe(false);
    expect(isImportSummary({ ...summary, security: 'x' })).toBe(false);
    expect(isImportSummary(null)).toBe(false);
  });

  it('has a headline with the counts', () => {
    expect(summaryHeadline(summary)).toBe('19 operations (3 public): 12 served by 3 resources, 7 by routes, 0 not served');
    expect(summaryHeadline({ ...summary, counts: { ...summary.counts, operations: 1, resources: 1 } })).toBe(
      '1 operation (3 public): 12 served by 1 resource, 7 by routes, 0 not served',
    );
  });

  it('tells mapped schemes from the others', () => {
    expect(summary.security!.map(schemeMapped)).toEqual([true, false]);
  });

  it('reads as the CLI prints it, for the clipboard', () => {
    expect(summaryText(summary)).toBe(
      [
        'Imported “Swagger Petstore - OpenAPI 3.0” (OpenAPI 3.0.4) as petstore, base path /api/v3',
        '19 operations (3 public): 12 served by 3 resources, 7 by routes, 0 not served',
        'Resources:',
        '  pet /pet: create, get, update, delete (6 fields, 25 seeded)',
        'Security schemes:',
        '  petstore_auth (oauth2 (implicit), 8 operations): Authorization: Bearer; keys carry scopes',
        '  mtls (mutualTLS, 1 operation): not mapped: a client certificate is not a key',
        'Pagination: none: no list parameters',
        'Not mapped (1):',
        '  - GET /pet/findByTags: tags: an array query parameter is read as its first value',
      ].join('\n'),
    );
    expect(summaryText({ ...summary, resources: null, security: [], notMapped: [], pagination: '' })).toMatch(/none: every operation is public\nNot mapped: nothing$/);
  });
});
