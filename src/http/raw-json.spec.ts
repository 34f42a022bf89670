import { jsonString, RawJson, stringifyJsonBytes } from './raw-json.js';

const stringifyJson = (value: unknown) => stringifyJsonBytes(value).toString('utf8');

describe('stringifyJsonBytes', () => {
  const awkward = {
    text: '引号" 反斜杠\\ 换行\n 𠀋 </script>',
    n: [1, 2.5, -0.001],
    nested: { empty: {}, none: null },
  };

  it('writes each RawJson as its text, in document order, and parses to what JSON.stringify of the values gives', () => {
    const value = {
      items: [0, 1, 2].map((i) => ({ i, details: new RawJson(JSON.stringify({ ...awkward, i })), after: `x${i}` })),
    };
    const json = stringifyJson(value);
    expect(JSON.parse(json)).toEqual({
      items: [0, 1, 2].map((i) => ({ i, details: { ...awkward, i }, after: `x${i}` })),
    });
    // The stored text itself, not a re-serialisation of it (spacing kept).
    expect(stringifyJson({ d: new RawJson('{ "a" : 1 }') })).toBe('{"d":{ "a" : 1 }}');
  });

  it('is JSON.stringify when there is no RawJson, and a RawJson outside it serialises as its parsed value', () => {
    expect(stringifyJson(awkward)).toBe(JSON.stringify(awkward));
    expect(JSON.stringify({ d: new RawJson('{"a":[1,"b"]}') })).toBe('{"d":{"a":[1,"b"]}}');
  });

  it('keeps strings that look like its mark, and a top-level RawJson', () => {
    const value = { body: 'raw-json-00 "raw-json-"', d: new RawJson('[1]') };
    expect(JSON.parse(stringifyJson(value))).toEqual({ body: value.body, d: [1] });
    expect(stringifyJson(new RawJson('{"a":1}'))).toBe('{"a":1}');
  });

  it('copies a RawJson given as stored bytes as they are, multi-byte characters included', () => {
    const stored = Buffer.from(JSON.stringify({ ...awkward, 名称: '大连𠀋' }), 'utf8');
    const bytes = stringifyJsonBytes({ title: '标题"', details: new RawJson(stored), more: [new RawJson('[1]')] });
    expect(
      bytes.equals(Buffer.from(`{"title":"标题\\"","details":${stored.toString('utf8')},"more":[[1]]}`, 'utf8')),
    ).toBe(true);
    expect(JSON.stringify({ d: new RawJson(Buffer.from('{"a":"值"}')) })).toBe('{"d":{"a":"值"}}');
  });

  it('writes a catalog name given as its JSON bytes (jsonString) as JSON.stringify writes the name', () => {
    const names = ['招标公告', '大连市"甘井子"区', 'a\\b'];
    const value = { items: names.map((n) => ({ name: jsonString(n), same: n })) };
    expect(stringifyJson(value)).toBe(JSON.stringify({ items: names.map((n) => ({ name: n, same: n })) }));
    expect(jsonString('招标公告')).toBe(jsonString('招标公告'));
  });
});
