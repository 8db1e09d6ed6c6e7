/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCurl, shellQuote } from './curl';

/** What a POSIX shell passes to the command: the argv after "curl". */
function argv(cmd: string): string[] {
  const out = execFileSync('sh', ['-c', cmd.replace(/^curl/, `printf '%s\\0'`)], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it.each([
    ['simple', 'simple'],
    ['http://127.0.0.1:7702/v1/users', 'http://127.0.0.1:7702/v1/users'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"],
    ['a&b', "'a&b'"],
  ])('%j → %s', (word, want) => {
    expect(shellQuote(word)).toBe(want);
  });

  it.each(["it's", '$(rm -rf /)', '`id`', 'a\nb', '"quoted"', '\\', "''", '!x', '*'])('survives the shell: %j', (word) => {
    expect(argv(`curl ${shellQuote(word)}`)).toEqual([word]);
  });
});

describe('buildCurl', () => {
  it('leaves GET implicit and puts one option per line', () => {
    const cmd = buildCurl({
      method: 'GET',
      url: 'http://demo.localhost:7701/api/v1/inventory/product?limit=1',
      headers: [['Authorization', 'Bearer jlb_abc']],
    });
    expect(cmd).toBe(
      "curl \\\n  --url 'http://demo.localhost:7701/api/v1/inventory/product?limit=1' \\\n  --header 'Authorization: Bearer jlb_abc'",
    );
  });

  it('sends method, headers and a body the shell passes on unchanged', () => {
    const body = `{"name": "O'Brien", "note": "$HOME \`x\`\\n"}`;
    const cmd = buildCurl({
      method: 'post',
      url: 'http://127.0.0.1:7702/v1/leads?x=1&y=2',
      headers: [
        ['Authorization', 'Bearer jb_live_k'],
        ['Content-Type', 'application/json'],
      ],
      body,
    });
    expect(argv(cmd)).toEqual([
      '--request',
      'POST',
      '--url',
      'http://127.0.0.1:7702/v1/leads?x=1&y=2',
      '--header',
      'Authorization: Bearer jb_live_k',
      '--header',
      'Content-Type: application/json',
      '--data-raw',
      body,
    ]);
  });

  it('uses --head for HEAD and "Name;" for an empty header', () => {
    expect(argv(buildCurl({ method: 'HEAD', url: 'http://x/', headers: [['X-Empty', '']] }))).toEqual([
      '--head',
      '--url',
      'http://x/',
      '--header',
      'X-Empty;',
    ]);
  });

  it('names DELETE without a body', () => {
    expect(buildCurl({ method: 'DELETE', url: 'http://x/v1/users/1', headers: [] })).toContain('--request DELETE');
  });
});
