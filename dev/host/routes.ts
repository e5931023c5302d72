// Function route templates ("incidents/{id}/resolve", "diagnoses/{id?}", "files/{*path}", "{id:int}") to matchers,
// ordered the way ASP.NET routing prefers them: literal segments before parameters before catch-alls.

export interface CompiledRoute {
  template: string;
  regex: RegExp;
  paramNames: string[];
  /** Lower sorts first. */
  precedence: number[];
}

export function compileRoute(template: string): CompiledRoute {
  const segments = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter((s) => s.length > 0);
  const paramNames: string[] = [];
  const precedence: number[] = [];
  let pattern = '';
  for (const seg of segments) {
    const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?(\?)?\}$/.exec(seg);
    if (!param) {
      pattern += `/${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      precedence.push(0);
      continue;
    }
    const [, catchAll, name, constraint, optional] = param;
    paramNames.push(name!);
    if (catchAll) {
      pattern += '(?:/(.*))?';
      precedence.push(3);
    } else {
      const body = constraint === 'int' ? '-?\\d+' : constraint === 'guid' ? '[0-9a-fA-F-]{36}' : '[^/]+';
      pattern += optional ? `(?:/(${body}))?` : `/(${body})`;
      precedence.push(constraint ? 1 : 2);
    }
  }
  return { template, regex: new RegExp(`^${pattern}/?$`, 'i'), paramNames, precedence };
}

export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  const n = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < n; i++) {
    const pa = a.precedence[i] ?? -1;
    const pb = b.precedence[i] ?? -1;
    if (pa !== pb) return pa - pb;
  }
  return 0;
}

export function matchRoute(route: CompiledRoute, path: string): Record<string, string> | undefined {
  const m = route.regex.exec(path === '' ? '' : path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  route.paramNames.forEach((name, i) => {
    const v = m[i + 1];
    if (v !== undefined) params[name] = decodeURIComponent(v);
  });
  return params;
}
