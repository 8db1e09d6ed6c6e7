import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown';

describe('parseInline', () => {
  it('reads code, strong, emphasis and links', () => {
    expect(parseInline('Needs a key with `read` permission.')).toEqual([
      { kind: 'text', text: 'Needs a key with ' },
      { kind: 'code', text: 'read' },
      { kind: 'text', text: ' permission.' },
    ]);
    expect(parseInline('**Never** put *keys* in [URLs](https://example.com/x).')).toEqual([
      { kind: 'strong', text: 'Never' },
      { kind: 'text', text: ' put ' },
      { kind: 'em', text: 'keys' },
      { kind: 'text', text: ' in ' },
      { kind: 'link', text: 'URLs', href: 'https://example.com/x' },
      { kind: 'text', text: '.' },
    ]);
  });
  it.each([
    ['an unclosed `tick', [{ kind: 'text', text: 'an unclosed `tick' }]],
    ['snake_case_names stay', [{ kind: 'text', text: 'snake_case_names stay' }]],
    ['2 * 3 * 4', [{ kind: 'text', text: '2 * 3 * 4' }]],
    ['[a](javascript:alert(1))', [{ kind: 'text', text: '[a](javascript:alert(1))' }]],
    ['<b>not html</b>', [{ kind: 'text', text: '<b>not html</b>' }]],
    ['', []],
  ])('%j stays text', (src, want) => {
    expect(parseInline(src)).toEqual(want);
  });
});

describe('parseMarkdown', () => {
  it('splits paragraphs and lists', () => {
    const blocks = parseMarkdown('First line\ncontinues.\n\n- one `a`\n- two\n  wrapped\nAfter.');
    expect(blocks).toEqual([
      { kind: 'p', inline: [{ kind: 'text', text: 'First line continues.' }] },
      {
        kind: 'ul',
        items: [
          [{ kind: 'text', text: 'one ' }, { kind: 'code', text: 'a' }],
          [{ kind: 'text', text: 'two wrapped' }],
        ],
      },
      { kind: 'p', inline: [{ kind: 'text', text: 'After.' }] },
    ]);
  });
  it('reads nothing from blank text', () => {
    expect(parseMarkdown(' \n\n')).toEqual([]);
  });
});
