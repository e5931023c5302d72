import { describe, expect, it } from '@jest/globals';
import { compareRoutes, compileRoute, matchRoute } from '../../../dev/host/routes.js';

describe('dev host route templates', () => {
  it.each([
    // [template, path, expected params or undefined when it must not match]
    ['incidents/{id}/resolve', '/incidents/abc/resolve', { id: 'abc' }],
    ['incidents/{id}/resolve', '/incidents/abc', undefined],
    ['diagnoses/{id?}', '/diagnoses', {}],
    ['diagnoses/{id?}', '/diagnoses/x1', { id: 'x1' }],
    ['items/{n:int}', '/items/42', { n: '42' }],
    ['items/{n:int}', '/items/forty', undefined],
    ['files/{*rest}', '/files/a/b/c', { rest: 'a/b/c' }],
    // The Functions idiom for a root route: an optional parameter that may only be empty.
    ['{ignored:maxlength(0)?}', '', {}],
    ['{ignored:maxlength(0)?}', '/', {}],
    ['{ignored:maxlength(0)?}', '/health', undefined],
  ])('%s against %s', (template, path, expected) => {
    expect(matchRoute(compileRoute(template), path)).toEqual(expected);
  });

  it('prefers literal segments over parameters', () => {
    const routes = ['hello/{name}', 'hello/static', '{*all}'].map(compileRoute).sort(compareRoutes);
    expect(routes.map((r) => r.template)).toEqual(['hello/static', 'hello/{name}', '{*all}']);
  });

  it('refuses a constraint it does not know instead of matching everything', () => {
    expect(() => compileRoute('x/{id:regex(^a$)}')).toThrow(/not supported/);
  });
});
