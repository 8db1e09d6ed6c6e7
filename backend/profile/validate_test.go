package profile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/oasdiff/yaml"
)

// mutate loads testdata/valid.yaml as a generic document, applies change
// and returns it as JSON.
func mutate(t *testing.T, change func(doc map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if _, err := yaml.Unmarshal(data, &doc, yaml.DecodeOpts{}); err != nil {
		t.Fatal(err)
	}
	change(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var stepRE = regexp.MustCompile(`[^.\[\]]+|\[\d+\]`)

// walk returns the container holding the last step of path and that step.
func walk(doc map[string]any, path string) (parent any, last string) {
	steps := stepRE.FindAllString(path, -1)
	var cur any = doc
	for _, s := range steps[:len(steps)-1] {
		cur = step(cur, s)
	}
	return cur, steps[len(steps)-1]
}

func step(cur any, s string) any {
	if s[0] == '[' {
		i, _ := strconv.Atoi(s[1 : len(s)-1])
		return cur.([]any)[i]
	}
	m := cur.(map[string]any)
	if m[s] == nil {
		m[s] = map[string]any{}
	}
	return m[s]
}

// set assigns v at a path such as "resources[0].fields[1].type".
func set(doc map[string]any, path string, v any) {
	parent, last := walk(doc, path)
	if last[0] == '[' {
		i, _ := strconv.Atoi(last[1 : len(last)-1])
		parent.([]any)[i] = v
		return
	}
	parent.(map[string]any)[last] = v
}

// del removes the field at path.
func del(doc map[string]any, path string) {
	parent, last := walk(doc, path)
	delete(parent.(map[string]any), last)
}

// push appends v to the list at path.
func push(doc map[string]any, path string, v any) {
	parent, last := walk(doc, path)
	m := parent.(map[string]any)
	list, _ := m[last].([]any)
	m[last] = append(list, v)
}

func TestValidTestdata(t *testing.T) {
	if _, err := Parse(mutate(t, func(map[string]any) {}), "valid.yaml"); err != nil {
		t.Fatal(err)
	}
}

func TestValidateBroken(t *testing.T) {
	type doc = map[string]any
	type list = []any
	tests := []struct {
		name   string
		change func(d doc)
		path   string
		msg    string
	}{
		// top level
		{"id upper case", func(d doc) { set(d, "id", "Shop") }, "id", `must be 1 to 32 lower-case letters`},
		{"id too long", func(d doc) { set(d, "id", "a123456789012345678901234567890123") }, "id", "must be"},
		{"name empty", func(d doc) { set(d, "name", " ") }, "name", "must not be empty"},
		{"version missing", func(d doc) { del(d, "version") }, "version", "must not be empty"},
		{"basePath trailing slash", func(d doc) { set(d, "basePath", "/api/") }, "basePath", "must start with '/', not end with '/'"},
		{"basePath relative", func(d doc) { set(d, "basePath", "api") }, "basePath", "must start with '/'"},
		{"basePath wildcard", func(d doc) { set(d, "basePath", "/api/{v}") }, "basePath", "no '{'"},
		{"basePath space", func(d doc) { set(d, "basePath", "/my api") }, "basePath", `segment "my api"`},
		// auth and keys
		{"header with space", func(d doc) { set(d, "auth.header", "X Api Key") }, "auth.header", "must be an HTTP header name"},
		{"header empty", func(d doc) { set(d, "auth.header", "") }, "auth.header", "must be an HTTP header name"},
		{"scheme not a token", func(d doc) { set(d, "auth.scheme", "Bear er") }, "auth.scheme", "auth scheme token"},
		{"query param twice", func(d doc) { push(d, "auth.queryParams", "api_key") }, "auth.queryParams[1]", "listed twice"},
		{"key prefix", func(d doc) { set(d, "keyFormat.prefix", "shop!") }, "keyFormat.prefix", "letters, digits"},
		{"key alphabet", func(d doc) { set(d, "keyFormat.alphabet", "base64") }, "keyFormat.alphabet", `must be one of hex, base62 (got "base64")`},
		{"key too short", func(d doc) { set(d, "keyFormat.length", 8) }, "keyFormat.length", "must be 16..128 (got 8)"},
		{"key too long", func(d doc) { set(d, "keyFormat.length", 129) }, "keyFormat.length", "must be 16..128"},
		// permissions
		{"model unknown", func(d doc) { set(d, "permissions.model", "roles") }, "permissions.model", `must be one of none, readwrite, scopes (got "roles")`},
		{"scope twice", func(d doc) { set(d, "permissions.scopes[1].name", "items:read") }, "permissions.scopes[1].name", "declared twice"},
		{"scope empty", func(d doc) { set(d, "permissions.scopes[0].name", "") }, "permissions.scopes[0].name", "must be letters"},
		{"scope with comma", func(d doc) { set(d, "permissions.scopes[2].name", "a,b") }, "permissions.scopes[2].name", "must be letters"},
		{"scopes model without scopes", func(d doc) {
			set(d, "permissions", doc{"model": "scopes"})
		}, "permissions.scopes", "at least one scope"},
		{"readScope undeclared", func(d doc) { set(d, "resources[0].readScope", "items:delete") }, "resources[0].readScope", `"items:delete" is not a declared scope`},
		{"writeScope undeclared", func(d doc) { set(d, "resources[1].writeScope", "orders") }, "resources[1].writeScope", "not a declared scope"},
		{"view scope undeclared", func(d doc) { set(d, "resources[0].views[0].scope", "stock") }, "resources[0].views[0].scope", "not a declared scope"},
		{"route scope undeclared", func(d doc) { set(d, "routes[1].scope", "root") }, "routes[1].scope", "not a declared scope"},
		{"implies from undeclared", func(d doc) { set(d, "permissions.implies.ghost", list{"admin"}) }, "permissions.implies.ghost", "not a declared scope"},
		{"implies undeclared", func(d doc) { set(d, "permissions.implies.admin", list{"root"}) }, "permissions.implies.admin[0]", `"root" is not a declared scope`},
		{"default undeclared", func(d doc) { set(d, "permissions.default", list{"root"}) }, "permissions.default[0]", "not a declared scope"},
		{"default twice", func(d doc) { push(d, "permissions.default", "items:read") }, "permissions.default[1]", "listed twice"},
		{"none with scopes", func(d doc) { set(d, "permissions.model", "none") }, "permissions", "must be empty when model is none"},
		{"none with readScope", func(d doc) { set(d, "permissions", doc{"model": "none"}) }, "resources[0].readScope", "must be empty when permissions.model is none"},
		{"readwrite with a third scope", func(d doc) {
			set(d, "permissions", doc{"model": "readwrite", "scopes": list{doc{"name": "read"}, doc{"name": "write"}, doc{"name": "admin"}}})
		}, "permissions.scopes", `must be exactly read and write when model is readwrite (got ["read", "write", "admin"])`},
		{"readwrite write needs write", func(d doc) {
			set(d, "permissions", doc{"model": "readwrite", "scopes": list{doc{"name": "read"}, doc{"name": "write"}}})
			set(d, "resources[0].readScope", "read")
			set(d, "resources[0].writeScope", "read")
		}, "resources[0].writeScope", `must be "write" for a route that writes`},
		{"readwrite read implies write", func(d doc) {
			set(d, "permissions", doc{"model": "readwrite", "scopes": list{doc{"name": "read"}, doc{"name": "write"}}, "implies": doc{"read": list{"write"}}})
		}, "permissions.implies.read", "read may not imply write"},
		// tenancy
		{"tenancy kind", func(d doc) { set(d, "tenancy.kind", "header") }, "tenancy.kind", `must be one of none, subdomain, path (got "header")`},
		{"no tenants", func(d doc) { set(d, "tenancy.tenants", list{}) }, "tenancy.tenants", "at least one tenant"},
		{"tenant twice", func(d doc) { set(d, "tenancy.tenants[1].id", "main") }, "tenancy.tenants[1].id", "listed twice"},
		{"tenant id with slash", func(d doc) { set(d, "tenancy.tenants[1].id", "a/b") }, "tenancy.tenants[1].id", "must be a path segment"},
		{"default not a tenant", func(d doc) { set(d, "tenancy.default", "mall") }, "tenancy.default", `must be one of the tenants' ids (got "mall")`},
		{"subdomain tenant not a DNS label", func(d doc) {
			set(d, "tenancy", doc{"kind": "subdomain", "default": "main_st", "tenants": list{doc{"id": "main_st"}}})
		}, "tenancy.tenants[0].id", "must be a DNS label"},
		{"subdomain with pathPrefix", func(d doc) { set(d, "tenancy.kind", "subdomain") }, "tenancy", "only for kind path"},
		{"none with tenants", func(d doc) { set(d, "tenancy.kind", "none") }, "tenancy", "must be empty when kind is none"},
		{"pathPrefix without param", func(d doc) { set(d, "tenancy.pathPrefix", "stores/{shopId}") }, "tenancy.pathPrefix", "must contain {storeId} exactly once"},
		{"pathPrefix param twice", func(d doc) { set(d, "tenancy.pathPrefix", "stores/{storeId}/{storeId}") }, "tenancy.pathPrefix", "exactly once"},
		{"pathPrefix partial segment", func(d doc) { set(d, "tenancy.pathPrefix", "stores/x{storeId}") }, "tenancy.pathPrefix", `segment "x{storeId}"`},
		{"param is id", func(d doc) {
			set(d, "tenancy.param", "id")
			set(d, "tenancy.pathPrefix", "stores/{id}")
		}, "tenancy.param", `must not be "id"`},
		{"param not an identifier", func(d doc) { set(d, "tenancy.param", "store-id") }, "tenancy.param", "must be a name"},
		{"tenant object a list", func(d doc) { set(d, "tenancy.tenants[0].object", list{1, 2}) }, "tenancy.tenants[0].object", "must be a JSON object"},
		// pagination
		{"style", func(d doc) { set(d, "pagination.style", "keyset") }, "pagination.style", `must be one of offset, page, cursor (got "keyset")`},
		{"cursor without afterParam", func(d doc) {
			set(d, "pagination", doc{"style": "cursor", "sizeParam": "limit", "defaultSize": 10, "maxSize": 100, "body": doc{"data": "$items"}})
		}, "pagination.afterParam", "must be a query parameter name"},
		{"cursor with a position", func(d doc) {
			set(d, "pagination.style", "cursor")
			set(d, "pagination.afterParam", "after")
		}, "pagination.positionParam", "style cursor has no position parameter"},
		{"cursor body with a page position", func(d doc) {
			set(d, "pagination", doc{"style": "cursor", "sizeParam": "limit", "afterParam": "after", "defaultSize": 10, "maxSize": 100, "body": doc{"data": "$items", "at": "$offset"}})
		}, "pagination.body.at", `unknown placeholder "$offset"`},
		{"cursor kind", func(d doc) {
			set(d, "pagination", doc{"style": "cursor", "sizeParam": "limit", "afterParam": "after", "cursor": "uuid", "defaultSize": 10, "maxSize": 100, "body": doc{"data": "$items"}})
		}, "pagination.cursor", `must be one of id, opaque (got "uuid")`},
		{"before same as after", func(d doc) {
			set(d, "pagination", doc{"style": "cursor", "sizeParam": "limit", "afterParam": "after", "beforeParam": "after", "defaultSize": 10, "maxSize": 100, "body": doc{"data": "$items"}})
		}, "pagination.beforeParam", `must differ from afterParam (both "after")`},
		{"next cursor in an offset body", func(d doc) { set(d, "pagination.body.meta.cursor", "$nextCursor") }, "pagination.body.meta.cursor", `unknown placeholder "$nextCursor"`},
		{"after param in offset style", func(d doc) { set(d, "pagination.afterParam", "after") }, "pagination.afterParam", `only style cursor has it`},
		{"resource pagination size", func(d doc) {
			set(d, "resources[1].pagination", doc{"style": "cursor", "sizeParam": "limit", "afterParam": "after", "defaultSize": 10, "maxSize": 0})
		}, "resources[1].pagination.maxSize", "must be 1..10000 (got 0)"},
		{"resource pagination inherits a body it cannot use", func(d doc) {
			set(d, "resources[1].pagination", doc{"style": "cursor", "sizeParam": "limit", "afterParam": "after", "defaultSize": 10, "maxSize": 100})
		}, "resources[1].pagination.body.meta.offset", "the profile's pagination.body, of style offset, is used"},
		{"resource pagination own body", func(d doc) {
			set(d, "resources[1].pagination", doc{"style": "page", "sizeParam": "per_page", "positionParam": "page", "defaultSize": 10, "maxSize": 100, "body": doc{"rows": "$items", "n": "$nextCursor"}})
		}, "resources[1].pagination.body.n", `unknown placeholder "$nextCursor"`},
		{"sizeParam empty", func(d doc) { set(d, "pagination.sizeParam", "") }, "pagination.sizeParam", "must be a query parameter name"},
		{"same params", func(d doc) { set(d, "pagination.positionParam", "limit") }, "pagination.positionParam", "must differ from sizeParam"},
		{"param refused as key", func(d doc) { set(d, "auth.queryParams", list{"offset"}) }, "pagination.positionParam", "also in auth.queryParams"},
		{"defaultSize zero", func(d doc) { set(d, "pagination.defaultSize", 0) }, "pagination.defaultSize", "must be 1..maxSize (got 0, maxSize 100)"},
		{"defaultSize over max", func(d doc) { set(d, "pagination.defaultSize", 101) }, "pagination.defaultSize", "must be 1..maxSize"},
		{"maxSize too big", func(d doc) {
			set(d, "pagination.maxSize", 20000)
		}, "pagination.maxSize", "must be 1..10000 (got 20000)"},
		{"body without items", func(d doc) { del(d, "pagination.body.items") }, "pagination.body", `must contain "$items" exactly once (found 0)`},
		{"body items twice", func(d doc) { set(d, "pagination.body.more", "$items") }, "pagination.body", `exactly once (found 2)`},
		{"body unknown placeholder", func(d doc) { set(d, "pagination.body.meta.cursor", "$cursor") }, "pagination.body.meta.cursor", `unknown placeholder "$cursor"`},
		{"body placeholder in list", func(d doc) { set(d, "pagination.body.items", list{"$items"}) }, "pagination.body.items[0]", "may not be inside a list"},
		{"body not an object", func(d doc) { set(d, "pagination.body", "$items") }, "pagination.body", "must be a JSON object"},
		// errors
		{"error body unknown placeholder", func(d doc) { set(d, "errors.body.error.detail", "$detail") }, "errors.body.error.detail", `unknown placeholder "$detail"`},
		{"error body without message", func(d doc) { del(d, "errors.body.error.message") }, "errors.body", `must contain "$message" exactly once`},
		{"error body a list", func(d doc) { set(d, "errors.body", list{"$message"}) }, "errors.body", "must be a JSON object"},
		{"unknown kind", func(d doc) {
			set(d, "errors.kinds.teapot", doc{"status": 418, "code": "T", "message": "tea"})
		}, "errors.kinds.teapot", "unknown error kind"},
		{"kind status 302", func(d doc) { set(d, "errors.kinds.missing_key.status", 302) }, "errors.kinds.missing_key.status", "must be an HTTP error status, 4xx or 5xx (got 302)"},
		{"kind status unknown", func(d doc) { set(d, "errors.kinds.missing_key.status", 499) }, "errors.kinds.missing_key.status", "got 499"},
		{"kind message empty", func(d doc) { set(d, "errors.kinds.missing_key.message", "") }, "errors.kinds.missing_key.message", "must not be empty"},
		{"kind code needed", func(d doc) { del(d, "errors.kinds.missing_key.code") }, "errors.kinds.missing_key.code", "an error template uses $code"},
		{"byStatus code needed", func(d doc) {
			set(d, "errors.body", doc{"message": "$message"})
			set(d, "errors.byStatus.401", doc{"body": doc{"code": "$code", "message": "$message"}})
			del(d, "errors.kinds.missing_key.code")
		}, "errors.kinds.missing_key.code", "an error template uses $code"},
		{"errors contentType not JSON", func(d doc) { set(d, "errors.contentType", "text/plain") }, "errors.contentType", `must be a JSON media type such as application/json or application/problem+json (got "text/plain")`},
		{"byStatus 2xx", func(d doc) { set(d, "errors.byStatus.200", doc{"body": doc{"m": "$message"}}) }, "errors.byStatus.200", `must be an error status 400..599 or "default" (got "200")`},
		{"byStatus range", func(d doc) { set(d, "errors.byStatus.4XX", doc{"body": doc{"m": "$message"}}) }, "errors.byStatus.4XX", `must be an error status 400..599 or "default"`},
		{"byStatus padded", func(d doc) { set(d, "errors.byStatus.0404", doc{"body": doc{"m": "$message"}}) }, "errors.byStatus.0404", `must be an error status`},
		{"byStatus without message", func(d doc) { set(d, "errors.byStatus.404", doc{"body": doc{"m": "$reason"}}) }, "errors.byStatus.404.body", `must contain "$message" exactly once`},
		{"byStatus without body", func(d doc) { set(d, "errors.byStatus.default", doc{"contentType": "application/json"}) }, "errors.byStatus.default.body", "must be a JSON object"},
		{"byStatus unknown placeholder", func(d doc) {
			set(d, "errors.byStatus.404", doc{"body": doc{"m": "$message", "x": doc{"y": "$detail"}}})
		}, "errors.byStatus.404.body.x.y", `unknown placeholder "$detail"`},
		{"byStatus contentType not JSON", func(d doc) {
			set(d, "errors.byStatus.422", doc{"contentType": "application/xml", "body": doc{"m": "$message"}})
		}, "errors.byStatus.422.contentType", "must be a JSON media type"},
		{"byStatus contentType not a media type", func(d doc) {
			set(d, "errors.byStatus.422", doc{"contentType": "application/json;;", "body": doc{"m": "$message"}})
		}, "errors.byStatus.422.contentType", "must be a JSON media type"},
		// rate limit and CORS
		{"perMinute negative", func(d doc) { set(d, "rateLimit.perMinute", -1) }, "rateLimit.perMinute", "must be 0 (no limit) or more"},
		{"headers missing", func(d doc) { set(d, "rateLimit.headers", "") }, "rateLimit.headers", `must be one of ratelimit, x-ratelimit (got "")`},
		{"origin without scheme", func(d doc) { set(d, "cors.allowedOrigins[1]", "localhost:5173") }, "cors.allowedOrigins[1]", "must be \"*\" or an origin"},
		{"origin with path", func(d doc) { set(d, "cors.allowedOrigins[1]", "https://app.example.com/") }, "cors.allowedOrigins[1]", "an origin"},
		{"origin twice", func(d doc) { push(d, "cors.allowedOrigins", "*") }, "cors.allowedOrigins[2]", "listed twice"},
		// resources
		{"nothing to serve", func(d doc) {
			del(d, "resources")
			del(d, "routes")
		}, "resources", "at least one resource"},
		{"resource name twice", func(d doc) { set(d, "resources[1].name", "Item") }, "resources[1].name", `"Item" is also the name of resources[0]`},
		{"resource name empty", func(d doc) { set(d, "resources[1].name", "") }, "resources[1].name", "must be a letter"},
		{"resource path leading slash", func(d doc) { set(d, "resources[1].path", "/orders") }, "resources[1].path", "no leading or trailing '/'"},
		{"resource path wildcard", func(d doc) { set(d, "resources[1].path", "orders/{x}") }, "resources[1].path", "no '{'"},
		{"resource path empty", func(d doc) { set(d, "resources[1].path", "") }, "resources[1].path", "must be non-empty"},
		{"resource path twice", func(d doc) { set(d, "resources[1].path", "catalog/items") }, "resources[1].path", "also the path of resources[0]"},
		{"operation unknown", func(d doc) { set(d, "resources[1].operations[0]", "search") }, "resources[1].operations[0]", `must be one of list, get, create, update, delete (got "search")`},
		{"operation twice", func(d doc) { set(d, "resources[1].operations[1]", "list") }, "resources[1].operations[1]", "listed twice"},
		{"update method POST", func(d doc) { set(d, "resources[0].updateMethods", list{"POST"}) }, "resources[0].updateMethods[0]", `must be one of PUT, PATCH (got "POST")`},
		{"update methods without update", func(d doc) { set(d, "resources[1].updateMethods", list{"PUT"}) }, "resources[1].updateMethods", "operations has no update"},
		{"idPrefix", func(d doc) { set(d, "resources[0].idPrefix", "Itm-") }, "resources[0].idPrefix", "lower-case letters, digits or '_'"},
		{"field twice", func(d doc) { set(d, "resources[0].fields[1].name", "title") }, "resources[0].fields[1].name", `"title" is declared twice`},
		{"field named id", func(d doc) { set(d, "resources[0].fields[0].name", "id") }, "resources[0].fields[0].name", `must not be "id"`},
		{"field type", func(d doc) { set(d, "resources[1].fields[1].type", "text") }, "resources[1].fields[1].type", `must be one of string, integer, number, boolean, object, array (got "text")`},
		{"string enum on integer", func(d doc) { set(d, "resources[0].fields[2].enum", list{"1", 2}) }, "resources[0].fields[2].enum[0]", `must be an integer (got "1")`},
		{"fraction in integer enum", func(d doc) { set(d, "resources[0].fields[2].enum", list{1, 2.5}) }, "resources[0].fields[2].enum[1]", `must be an integer (got number 2.5)`},
		{"null in enum", func(d doc) { set(d, "resources[0].fields[3].enum[0]", nil) }, "resources[0].fields[3].enum[0]", "say nullable: true instead"},
		{"object in enum", func(d doc) { set(d, "resources[0].fields[3].enum[0]", doc{"a": 1}) }, "resources[0].fields[3].enum[0]", "must be a string (got an object)"},
		{"integer enum twice", func(d doc) {
			set(d, "resources[0].fields[2].enum", list{1, 2, 1})
			del(d, "resources[0].fields[2].fake")
		}, "resources[0].fields[2].enum[2]", "1 is listed twice"},
		{"fake outside integer enum", func(d doc) { set(d, "resources[0].fields[2].enum", list{1, 2}) }, "resources[0].fields[2].fake", "which is not in enum"},
		{"enum on object", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "meta", "type": "object", "schema": doc{"type": "object"}, "enum": list{"a"}})
		}, "resources[0].fields[4].enum", "put the enum in schema"},
		{"minimum over maximum", func(d doc) {
			set(d, "resources[0].fields[2].minimum", 10)
			set(d, "resources[0].fields[2].maximum", 5)
			del(d, "resources[0].fields[2].fake")
		}, "resources[0].fields[2].minimum", "10 is over maximum 5"},
		{"minimum on string", func(d doc) { set(d, "resources[0].fields[0].minimum", 1) }, "resources[0].fields[0].minimum", `only for integer and number fields (type is "string")`},
		{"maxLength on integer", func(d doc) { set(d, "resources[0].fields[2].maxLength", 3) }, "resources[0].fields[2].maxLength", `only for string fields (type is "integer")`},
		{"minItems on object", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "meta", "type": "object", "schema": doc{"type": "object"}, "minItems": 1})
		}, "resources[0].fields[4].minItems", `only for array fields (type is "object")`},
		{"negative minLength", func(d doc) { set(d, "resources[0].fields[0].minLength", -1) }, "resources[0].fields[0].minLength", "must not be negative"},
		{"minItems over maxItems", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "tags", "type": "array", "schema": doc{"type": "array", "items": doc{"type": "string"}}, "minItems": 3, "maxItems": 1})
		}, "resources[0].fields[4].minItems", "3 is over maxItems 1"},
		{"exclusiveMinimum without minimum", func(d doc) { set(d, "resources[0].fields[2].exclusiveMinimum", true) }, "resources[0].fields[2].exclusiveMinimum", "only for integer and number fields"},
		{"fake under minimum", func(d doc) { set(d, "resources[0].fields[2].minimum", 60) }, "resources[0].fields[2].fake", "must be at least 60"},
		{"fake over maxLength", func(d doc) { set(d, "resources[0].fields[0].maxLength", 2) }, "resources[0].fields[0].fake", "must be at most 2 characters long"},
		{"object without schema", func(d doc) { set(d, "resources[0].fields[4]", doc{"name": "meta", "type": "object"}) }, "resources[0].fields[4].schema", "is required for object fields"},
		{"schema on string", func(d doc) { set(d, "resources[0].fields[0].schema", doc{"type": "string"}) }, "resources[0].fields[0].schema", `only for object and array fields (type is "string")`},
		{"schema of another type", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "tags", "type": "array", "schema": doc{"type": "object"}})
		}, "resources[0].fields[4].schema.type", `must be "array", the field's type (got "object")`},
		{"schema with a $ref", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "meta", "type": "object", "schema": doc{"type": "object", "properties": doc{"tag": doc{"$ref": "#/components/schemas/Tag"}}}})
		}, "resources[0].fields[4].schema", "/properties/tag/$ref: $ref is not resolved here"},
		{"schema with an unknown keyword", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "tags", "type": "array", "schema": doc{"type": "array", "items": doc{"type": "string", "contains": doc{}}}})
		}, "resources[0].fields[4].schema", `/items/contains: unknown keyword "contains"`},
		{"schema not valid", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "meta", "type": "object", "schema": doc{"type": "object", "properties": doc{"n": doc{"type": "integr"}}}})
		}, "resources[0].fields[4].schema", "is not a valid schema"},
		{"fake on array", func(d doc) {
			set(d, "resources[0].fields[4]", doc{"name": "tags", "type": "array", "schema": doc{"type": "array"}, "fake": "{word}"})
		}, "resources[0].fields[4].fake", "generated from schema"},
		{"unset unknown", func(d doc) { set(d, "resources[0].unset", "drop") }, "resources[0].unset", `must be one of null, omit (got "drop")`},
		{"create status 202", func(d doc) { set(d, "resources[0].statuses", doc{"create": 202}) }, "resources[0].statuses.create", "must be 200 or 201 (got 202)"},
		{"delete status without delete", func(d doc) { set(d, "resources[1].statuses", doc{"delete": 200}) }, "resources[1].statuses.delete", "operations has no delete"},
		{"delete body with 204", func(d doc) { set(d, "resources[0].deleteBody", doc{"id": "$id"}) }, "resources[0].deleteBody", "needs statuses.delete 200"},
		{"delete body placeholder", func(d doc) {
			set(d, "resources[0].statuses", doc{"delete": 200})
			set(d, "resources[0].deleteBody", doc{"id": "$record"})
		}, "resources[0].deleteBody", `unknown placeholder "$record"`},
		{"enum value twice", func(d doc) { set(d, "resources[0].fields[3].enum[1]", "red") }, "resources[0].fields[3].enum[1]", "listed twice"},
		{"auto unknown", func(d doc) { set(d, "resources[0].fields[5].auto", "deleted") }, "resources[0].fields[5].auto", `must be one of created, updated (got "deleted")`},
		{"auto on integer", func(d doc) { set(d, "resources[0].fields[2].auto", "created") }, "resources[0].fields[2].auto", "only for fields of type string with format date-time"},
		{"auto without date-time", func(d doc) { del(d, "resources[0].fields[6].format") }, "resources[0].fields[6].auto", "format date-time"},
		{"auto required", func(d doc) { set(d, "resources[0].fields[6].required", true) }, "resources[0].fields[6].required", "must be false for an auto field"},
		{"fake unknown function", func(d doc) { set(d, "resources[0].fields[0].fake", "{nosuchthing}") }, "resources[0].fields[0].fake", "{nosuchthing} is not a fake function (known: bool, buzzword,"},
		{"fake fails", func(d doc) { set(d, "resources[0].fields[2].fake", "{number:a,b}") }, "resources[0].fields[2].fake", `"{number:a,b}" fails`},
		{"fake not an integer", func(d doc) { set(d, "resources[0].fields[2].fake", "{word}") }, "resources[0].fields[2].fake", "which is not an integer"},
		{"fake not a boolean", func(d doc) { set(d, "resources[0].fields[4].fake", "yes") }, "resources[0].fields[4].fake", "which is not true or false"},
		{"fake outside enum", func(d doc) { set(d, "resources[0].fields[3].fake", "purple") }, "resources[0].fields[3].fake", "which is not in enum"},
		{"fake not a date-time", func(d doc) {
			set(d, "resources[1].fields[0].format", "date-time")
			set(d, "resources[1].fields[0].fake", "2025-{number:10,12}-{number:10,28}")
		}, "resources[1].fields[0].fake", "which is not an RFC 3339 date-time"},
		{"seed negative", func(d doc) { set(d, "resources[1].seed.count", -1) }, "resources[1].seed.count", "must be 0..2000000 (got -1)"},
		{"seed too big", func(d doc) { set(d, "resources[1].seed.count", 2_000_001) }, "resources[1].seed.count", "must be 0..2000000"},
		{"view name", func(d doc) { set(d, "resources[0].views[0].name", "Stock") }, "resources[0].views[0].name", "lower-case letters, digits or '-'"},
		{"view field unknown", func(d doc) { set(d, "resources[0].views[0].fields[0]", "qty") }, "resources[0].views[0].fields[0]", `"qty" is not a field of resource "item"`},
		{"view field is the id field", func(d doc) { set(d, "resources[0].views[0].idField", "stock") }, "resources[0].views[0].fields[0]", "also the view's id field"},
		// routes
		{"route method", func(d doc) { set(d, "routes[0].method", "HEAD") }, "routes[0].method", `must be one of GET, POST, PUT, PATCH, DELETE (got "HEAD")`},
		{"route kind", func(d doc) { set(d, "routes[0].kind", "proxy") }, "routes[0].kind", `must be one of tenant, static (got "proxy")`},
		{"tenant route without tenancy", func(d doc) { set(d, "tenancy", doc{"kind": "none"}) }, "routes[0].kind", "tenant needs tenancy.kind path or subdomain"},
		{"static without body", func(d doc) { del(d, "routes[1].body") }, "routes[1].body", "must be a JSON value for kind static"},
		{"tenant with body", func(d doc) { set(d, "routes[0].body", doc{"a": 1}) }, "routes[0].body", "must be empty for kind tenant"},
		{"route status 204", func(d doc) { set(d, "routes[1].status", 204) }, "routes[1].status", "must be a 2xx status with a body"},
		{"route path wildcard", func(d doc) { set(d, "routes[1].path", "status/{x}") }, "routes[1].path", "no '{'"},
		{"route writes need write scope", func(d doc) {
			set(d, "permissions", doc{"model": "readwrite", "scopes": list{doc{"name": "read"}, doc{"name": "write"}}})
			for i := range 2 {
				set(d, "resources["+strconv.Itoa(i)+"].readScope", "read")
				set(d, "resources["+strconv.Itoa(i)+"].writeScope", "write")
			}
			set(d, "resources[0].views[0].scope", "read")
			set(d, "routes[1].method", "POST")
			set(d, "routes[1].scope", "read")
		}, "routes[1].scope", `must be "write" for a route that writes`},
		// endpoints
		{"route duplicates a resource", func(d doc) {
			push(d, "routes", doc{"method": "GET", "path": "catalog/items", "kind": "static", "body": list{}})
		}, "resources[0]", "GET /api/v2/stores/{storeId}/catalog/items is also served by routes[2]"},
		{"same requests as another", func(d doc) {
			push(d, "routes", doc{"method": "GET", "path": "orders/{orderId}", "params": list{doc{"name": "orderId"}}, "kind": "static", "body": doc{}})
		}, "resources[1]", "cannot be served: it matches the same requests as GET /api/v2/stores/{storeId}/orders/{orderId} of routes[2]"},
		{"empty path", func(d doc) {
			set(d, "basePath", "")
			set(d, "tenancy", doc{"kind": "none"})
			set(d, "routes[0]", doc{"method": "GET", "path": "", "kind": "static", "body": doc{}})
		}, "routes[0]", "serves the empty path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(mutate(t, tt.change), "shop.yaml")
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}

// A hand-built profile can be validated without Parse; the error then
// names the id.
func TestValidateNamesTheID(t *testing.T) {
	p := builtin(t, "journeybee")
	p.Resources[2].Fields[0].Type = "text"
	err := p.Validate()
	want := `profile "journeybee": resources[2].fields[0].type: must be one of string, integer, number, boolean, object, array (got "text")`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
