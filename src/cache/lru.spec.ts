import { ByteBudgetLru } from './lru.js';

describe('ByteBudgetLru', () => {
  it('keeps the entries it was given while they fit the budget', () => {
    const lru = new ByteBudgetLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 60);
    expect([lru.get('a'), lru.get('b')]).toEqual(['A', 'B']);
    expect(lru.bytes).toBe(100);
    expect(lru.evictions).toBe(0);
  });

  it('evicts the least recently used entries when the budget is exceeded', () => {
    const lru = new ByteBudgetLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    lru.get('a'); // a is now the most recently used
    lru.set('c', 'C', 40);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.bytes).toBe(80);
    expect(lru.evictions).toBe(1);
  });

  it('evicts as many entries as a large one needs', () => {
    const lru = new ByteBudgetLru<string>(100);
    for (const k of ['a', 'b', 'c', 'd']) lru.set(k, k, 25);
    lru.set('big', 'BIG', 90);
    expect(lru.size).toBe(1);
    expect(lru.bytes).toBe(90);
    expect(lru.evictions).toBe(4);
  });

  it('does not keep an entry larger than the whole budget, nor drop others for it', () => {
    const lru = new ByteBudgetLru<string>(100);
    lru.set('a', 'A', 50);
    expect(lru.set('huge', 'H', 101)).toBe(false);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
  });

  it('replacing a key counts only its new size', () => {
    const lru = new ByteBudgetLru<string>(100);
    lru.set('a', 'A1', 70);
    lru.set('a', 'A2', 30);
    expect(lru.bytes).toBe(30);
    expect(lru.get('a')).toBe('A2');
    lru.delete('a');
    expect(lru.bytes).toBe(0);
    expect(lru.size).toBe(0);
  });
});
