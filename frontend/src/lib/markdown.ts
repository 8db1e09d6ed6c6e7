// The little Markdown that OpenAPI descriptions and profile notes use
// (`code`, **strong**, *emphasis*, [links](https://…), paragraphs and "- "
// lists), read into parts that components render as elements: never as
// HTML, so a description cannot inject markup. Unit-tested in
// markdown.test.ts.

/** A run of text inside a paragraph or list item. */
export type Inline =
  | { kind: 'text' | 'code' | 'strong' | 'em'; text: string }
  | { kind: 'link'; text: string; href: string };

/** A paragraph, or a list of items. */
export type Block = { kind: 'p'; inline: Inline[] } | { kind: 'ul'; items: Inline[][] };

const LINK = /^\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/;

/** Reads the inline syntax of one paragraph. Anything unmatched stays text. */
export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const push = (part: Inline): void => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
    out.push(part);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const rest = src.slice(i);
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        push({ kind: 'code', text: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (rest.startsWith('**')) {
      const end = src.indexOf('**', i + 2);
      if (end > i + 2) {
        push({ kind: 'strong', text: src.slice(i + 2, end) });
        i = end + 2;
        continue;
      }
    } else if ((c === '*' || c === '_') && /\S/.test(src[i + 1] ?? ' ') && (c === '*' || !/\w/.test(src[i - 1] ?? ''))) {
      const end = src.indexOf(c, i + 1);
      if (end > i + 1 && /\S/.test(src[end - 1]!) && (c === '*' || !/\w/.test(src[end + 1] ?? ''))) {
        push({ kind: 'em', text: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (c === '[') {
      const m = LINK.exec(rest);
      if (m) {
        push({ kind: 'link', text: m[1]!, href: m[2]! });
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  if (text !== '') out.push({ kind: 'text', text });
  return out;
}

/** Reads paragraphs (separated by blank lines) and "- " or "* " lists. */
export function parseMarkdown(src: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let items: string[] | null = null;
  const flush = (): void => {
    if (para.length > 0) blocks.push({ kind: 'p', inline: parseInline(para.join(' ')) });
    if (items) blocks.push({ kind: 'ul', items: items.map(parseInline) });
    para = [];
    items = null;
  };
  for (const raw of src.split('\n')) {
    const line = raw.trim();
    const item = /^[-*]\s+(.*)$/.exec(line);
    if (line === '') {
      flush();
    } else if (item) {
      if (para.length > 0) flush();
      items ??= [];
      items.push(item[1]!);
    } else if (items && /^\s/.test(raw)) {
      items[items.length - 1] += ` ${line}`; // an item's continuation line
    } else {
      if (items) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}
