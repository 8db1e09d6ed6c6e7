import { describe, expect, it } from 'vitest';
import { buildQuery, clientUrl, fillPath, firstListUrl, methodHasBody, scopesLacking } from './explorer';

const scoped = {
  id: 'eudr',
  permissions: {
    model: 'scopes',
    scopes: [{ name: 'integration:suppliers:read' }, { name: 'integration:batches:read' }],
    default: null,
  },
};

describe('fillPath', () => {
  it('encodes values and reports missing ones', () => {
    expect(fillPath('/v1/company/{companyId}/users/{id}', { companyId: '10 01', id: 'a/b' })).toEqual({
      path: '/v1/company/10%2001/users/a%2Fb',
      missing: [],
    });
    expect(fillPath('/v1/users/{id}', { id: '' })).toEqual({ path: '/v1/users/{id}', missing: ['id'] });
  });
});

describe('buildQuery', () => {
  it('leaves empty values out and encodes the rest', () => {
    expect(buildQuery([['page', '2'], ['q', 'a b&c'], ['limit', '']])).toBe('page=2&q=a+b%26c');
    expect(buildQuery([])).toBe('');
  });
});

describe('clientUrl', () => {
  const juleb = { origin: 'http://127.0.0.1:7701', port: 7701, tenancy: { kind: 'subdomain', tenants: ['demo'] } };
  it('names the tenant in the host for subdomain tenancy', () => {
    expect(clientUrl(juleb, '/api/v1/inventory/product', 'limit=1', 'demo')).toBe('http://demo.localhost:7701/api/v1/inventory/product?limit=1');
    expect(clientUrl(juleb, '/api/v1/pos/order', '', '')).toBe('http://127.0.0.1:7701/api/v1/pos/order');
  });
  it('uses the origin otherwise', () => {
    expect(clientUrl({ ...juleb, tenancy: { kind: 'path', tenants: null } }, '/x', '', 'demo')).toBe('http://127.0.0.1:7701/x');
  });
});

describe('scopesLacking', () => {
  it('picks another scope for a scoped API', () => {
    expect(scopesLacking(scoped, 'integration:suppliers:read')).toEqual({ scopes: ['integration:batches:read'] });
  });
  it('for several scopes all needed, picks one outside them, else all but the last', () => {
    const pets = { id: 'petstore', permissions: { model: 'scopes', scopes: [{ name: 'write:pets' }, { name: 'read:pets' }], default: null } };
    expect(scopesLacking(pets, 'write:pets read:pets')).toEqual({ scopes: ['write:pets'] });
    expect(scopesLacking({ ...pets, permissions: { ...pets.permissions, scopes: [...pets.permissions.scopes, { name: 'admin' }] } }, 'write:pets read:pets')).toEqual({ scopes: ['admin'] });
  });
  it('gives a read key for a write endpoint, and no key for a read one', () => {
    const rw = { id: 'journeybee', permissions: { model: 'readwrite', scopes: [{ name: 'read' }, { name: 'write' }], default: ['write'] } };
    expect(scopesLacking(rw, 'write')).toEqual({ scopes: ['read'] });
    expect(scopesLacking(rw, 'read')).toHaveProperty('reason');
  });
  it('explains when keys carry no scopes or the endpoint needs none', () => {
    expect(scopesLacking({ id: 'jelou', permissions: { model: 'none', scopes: null, default: null } }, '')).toEqual({
      reason: 'jelou keys carry no scopes: every key may call every route.',
    });
    expect(scopesLacking(scoped, '')).toHaveProperty('reason');
    expect(scopesLacking({ ...scoped, permissions: { ...scoped.permissions, scopes: [{ name: 'only' }] } }, 'only')).toHaveProperty('reason');
  });
});

describe('methodHasBody', () => {
  it.each([
    ['POST', true],
    ['patch', true],
    ['PUT', true],
    ['GET', false],
    ['DELETE', false],
  ])('%s → %s', (m, want) => expect(methodHasBody(m)).toBe(want));
});

describe('firstListUrl', () => {
  const res = (path: string) => [{ name: 'x', path, records: 1 }];
  it('joins the base URL and the first resource', () => {
    expect(firstListUrl({ baseUrl: 'http://127.0.0.1:7702/v1', tenancy: { kind: 'none', tenants: null }, resources: res('users') })).toBe(
      'http://127.0.0.1:7702/v1/users',
    );
  });
  it('puts the default tenant in a path prefix', () => {
    const jelou = { baseUrl: 'http://127.0.0.1:7703/jelouapi/v1/', tenancy: { kind: 'path', pathPrefix: 'company/{companyId}', default: '1001', tenants: ['1001'] }, resources: res('messages') };
    expect(firstListUrl(jelou)).toBe('http://127.0.0.1:7703/jelouapi/v1/company/1001/messages');
  });
  it('is the base URL without resources', () => {
    expect(firstListUrl({ baseUrl: 'http://h/v1', tenancy: { kind: 'none', tenants: null }, resources: null })).toBe('http://h/v1');
  });
});
