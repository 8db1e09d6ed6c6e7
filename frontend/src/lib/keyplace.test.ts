import { describe, expect, it } from 'vitest';
import {
  alternativeLabel,
  apiKeyPlaces,
  apiKeyText,
  applyKey,
  basicCredentials,
  exampleCurl,
  keyHeaderNames,
  keyPlacement,
  keyQueryNames,
  placeText,
  readSecurity,
  schemePlace,
  secretForms,
  type KeyPlace,
} from './keyplace';
import type { ApiAuth } from './api';

// The built-ins as GET /_admin/api/apis lists them (backend/profile/builtin/*.yaml).
const builtins: Record<string, ApiAuth> = {
  juleb: { header: 'Authorization', scheme: 'Bearer', queryParams: ['api_key', 'apikey', 'apiKey', 'key', 'token', 'access_token'] },
  journeybee: { header: 'Authorization', scheme: 'Bearer' },
  jelou: { header: 'x-api-key' },
  eudr: { header: 'Authorization', scheme: 'Bearer' },
};

// A vendor's document with every kind of scheme, and an imported API that maps them.
const doc = {
  openapi: '3.0.4',
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'opaque' },
      basic: { type: 'http', scheme: 'basic' },
      api_key: { type: 'apiKey', in: 'header', name: 'api_key' },
      qkey: { type: 'apiKey', in: 'query', name: 'key' },
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      petstore_auth: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://x/oauth', scopes: { 'read:pets': '', 'write:pets': '' } } } },
      oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://x/.well-known/openid-configuration' },
      digest: { type: 'http', scheme: 'digest' },
      mtls: { type: 'mutualTLS' },
    },
  },
};

const imported: ApiAuth = {
  header: 'Authorization',
  scheme: 'Bearer',
  schemes: [
    { name: 'bearer', header: 'Authorization', scheme: 'Bearer' },
    { name: 'basic', header: 'Authorization', scheme: 'Basic' },
    { name: 'api_key', header: 'api_key' },
    { name: 'qkey', query: 'key' },
    { name: 'session', cookie: 'sid' },
    { name: 'petstore_auth', header: 'Authorization', scheme: 'Bearer', scoped: true },
    // Listed without a place: the document's scheme says it.
    { name: 'oidc', scoped: true },
  ],
};

const bearer: KeyPlace = { in: 'header', name: 'Authorization', scheme: 'Bearer' };

describe('keyPlacement', () => {
  it.each(Object.entries(builtins))('%s: the one place of its auth, whatever the document names', (id, auth) => {
    const p = keyPlacement({ auth }, { components: { securitySchemes: { bearerAuth: { type: 'apiKey', in: 'query', name: 'x' } } } }, [{ bearerAuth: [] }]);
    expect(p.public).toBe(false);
    expect(p.alternatives).toHaveLength(1);
    expect(p.alternatives[0]!.places).toEqual([id === 'jelou' ? { in: 'header', name: 'x-api-key', scheme: '' } : bearer]);
  });

  it('a built-in operation with security [] or none is public', () => {
    expect(keyPlacement({ auth: builtins.journeybee! }, doc, [])).toEqual({ public: true, alternatives: [] });
    expect(keyPlacement({ auth: builtins.journeybee! }, doc, null)).toEqual({ public: true, alternatives: [] });
  });

  it('a profile with its key in the query or a cookie sends it there', () => {
    expect(keyPlacement({ auth: { query: 'api_key' } }, null, [{ k: [] }]).alternatives[0]!.places).toEqual([{ in: 'query', name: 'api_key' }]);
    expect(keyPlacement({ auth: { cookie: 'sid' } }, null, [{ k: [] }]).alternatives[0]!.places).toEqual([{ in: 'cookie', name: 'sid' }]);
  });

  const cases: [string, Record<string, string[]>, KeyPlace[], string][] = [
    ['http bearer', { bearer: [] }, [bearer], 'HTTP bearer'],
    ['http basic', { basic: [] }, [{ in: 'header', name: 'Authorization', scheme: 'Basic' }], 'HTTP basic'],
    ['apiKey in a header', { api_key: [] }, [{ in: 'header', name: 'api_key', scheme: '' }], 'API key'],
    ['apiKey in the query', { qkey: [] }, [{ in: 'query', name: 'key' }], 'API key'],
    ['apiKey in a cookie', { session: [] }, [{ in: 'cookie', name: 'sid' }], 'API key'],
    ['oauth2', { petstore_auth: ['read:pets'] }, [bearer], 'OAuth2'],
    ['openIdConnect (place from the document)', { oidc: ['openid'] }, [bearer], 'OpenID Connect'],
  ];
  it.each(cases)('imported, %s', (_, req, places, kind) => {
    const p = keyPlacement({ auth: imported }, doc, [req]);
    expect(p.public).toBe(false);
    expect(p.alternatives).toEqual([{ id: Object.keys(req).join('+'), schemes: Object.keys(req), kind, places, scopes: Object.values(req).flat() }]);
  });

  it('alternatives (OR) in the document’s order, the same place once; combined (AND) in every place', () => {
    const p = keyPlacement({ auth: imported }, doc, [{ api_key: [] }, { petstore_auth: ['write:pets', 'read:pets'] }, { bearer: [] }, { qkey: [], session: [] }]);
    expect(p.alternatives.map((a) => a.id)).toEqual(['api_key', 'petstore_auth', 'qkey+session']);
    expect(p.alternatives[1]!.scopes).toEqual(['write:pets', 'read:pets']);
    expect(p.alternatives[2]!.places).toEqual([
      { in: 'query', name: 'key' },
      { in: 'cookie', name: 'sid' },
    ]);
    expect(alternativeLabel(p.alternatives[2]!)).toBe('qkey + session (API key + API key): the query parameter key and the cookie sid');
  });

  it('leaves out alternatives the API does not map; with none left, its main place', () => {
    const p = keyPlacement({ auth: imported }, doc, [{ digest: [] }, { api_key: [] }]);
    expect(p.alternatives.map((a) => a.id)).toEqual(['api_key']);
    const none = keyPlacement({ auth: imported }, doc, [{ mtls: [] }]);
    expect(none.alternatives).toEqual([{ id: 'key', schemes: [], kind: '', places: [bearer], scopes: [] }]);
  });

  it('an empty requirement ({}) makes the key optional: sent as public', () => {
    expect(keyPlacement({ auth: imported }, doc, [{ api_key: [] }, {}]).public).toBe(true);
  });
});

describe('schemePlace', () => {
  it('reads each kind of security scheme', () => {
    const s = doc.components.securitySchemes;
    expect(schemePlace(s.bearer)).toEqual(bearer);
    expect(schemePlace(s.basic)).toEqual({ in: 'header', name: 'Authorization', scheme: 'Basic' });
    expect(schemePlace(s.api_key)).toEqual({ in: 'header', name: 'api_key', scheme: '' });
    expect(schemePlace(s.qkey)).toEqual({ in: 'query', name: 'key' });
    expect(schemePlace(s.session)).toEqual({ in: 'cookie', name: 'sid' });
    expect(schemePlace(s.petstore_auth)).toEqual(bearer);
    expect(schemePlace(s.oidc)).toEqual(bearer);
    expect(schemePlace(s.mtls)).toBeNull();
    expect(schemePlace({ type: 'apiKey', in: 'header' })).toBeNull();
    expect(schemePlace('nonsense')).toBeNull();
  });
});

describe('applyKey', () => {
  it('puts the key in headers, the query and a Cookie header', () => {
    expect(
      applyKey(
        [
          bearer,
          { in: 'header', name: 'api_key', scheme: '' },
          { in: 'query', name: 'key' },
          { in: 'cookie', name: 'sid' },
          { in: 'cookie', name: 'other' },
        ],
        'k_123',
      ),
    ).toEqual({
      headers: [
        ['Authorization', 'Bearer k_123'],
        ['api_key', 'k_123'],
        ['Cookie', 'sid=k_123; other=k_123'],
      ],
      query: [['key', 'k_123']],
    });
  });

  it('knows every form a key takes on the wire', () => {
    expect(secretForms('k_1')).toEqual(['k_1', btoa('k_1:')]);
    expect(secretForms('a b+c')).toEqual(['a b+c', btoa('a b+c:'), 'a%20b%2Bc', 'a+b%2Bc']);
    expect(secretForms('')).toEqual([]);
  });

  it('sends Basic as base64 of "key:" (the key is the user name)', () => {
    expect(basicCredentials('sk_test_1')).toBe(btoa('sk_test_1:'));
    expect(applyKey([{ in: 'header', name: 'Authorization', scheme: 'Basic' }], 'sk_test_1').headers).toEqual([['Authorization', `Basic ${btoa('sk_test_1:')}`]]);
  });
});

describe('the places of an API, in words', () => {
  it('lists every place of an imported API once, else the built-in’s one', () => {
    expect(apiKeyText({ auth: imported })).toBe('Authorization: Bearer <key> or Authorization: Basic base64(<key>:) or api_key: <key> or ?key=<key> or Cookie: sid=<key>');
    expect(apiKeyText({ auth: builtins.jelou! })).toBe('x-api-key: <key>');
    expect(apiKeyText({ auth: builtins.journeybee! })).toBe('Authorization: Bearer <key>');
    expect(apiKeyText({ auth: {} })).toBe('no key');
    expect(apiKeyPlaces({ auth: { header: 'x', schemes: [] } })).toEqual([{ in: 'header', name: 'x', scheme: '' }]);
  });

  it('names the headers and query parameters to mask', () => {
    expect(keyHeaderNames({ auth: imported })).toEqual(['Authorization', 'api_key']);
    expect(keyQueryNames({ auth: imported })).toEqual(['key']);
    expect(keyHeaderNames({ auth: builtins.jelou! })).toEqual(['x-api-key']);
    expect(keyHeaderNames(undefined)).toEqual([]);
  });

  it('writes a place with the key or its stand-in', () => {
    expect(placeText({ in: 'query', name: 'api_key' }, 'K')).toBe('?api_key=K');
    expect(placeText({ in: 'header', name: 'x-api-key', scheme: '' })).toBe('x-api-key: <key>');
  });
});

describe('readSecurity', () => {
  it('reads requirements and tells "none stated" (null) from public ([])', () => {
    expect(readSecurity(undefined)).toBeNull();
    expect(readSecurity([])).toEqual([]);
    expect(readSecurity([{ a: ['x', 3] }, 'junk', { b: null }])).toEqual([{ a: ['x'] }, { b: [] }]);
  });
});

describe('exampleCurl', () => {
  const url = 'http://127.0.0.1:7702/v1/users';
  it.each([
    [builtins.journeybee!, `curl -H "Authorization: Bearer <your key>" ${url}`],
    [builtins.jelou!, `curl -H "x-api-key: <your key>" ${url}`],
    [{ header: 'Authorization', scheme: 'Basic' }, `curl -u "<your key>:" ${url}`],
    [{ query: 'api_key' }, `curl "${url}?api_key=<your key>"`],
    [{ cookie: 'sid' }, `curl -b "sid=<your key>" ${url}`],
    [imported, `curl -H "Authorization: Bearer <your key>" ${url}`],
    [{}, `curl ${url}`],
  ])('%j', (auth, want) => {
    expect(exampleCurl({ auth }, url)).toBe(want);
  });
});
