// Function route templates ("incidents/{id}/resolve", "diagnoses/{id?}", "files/{*path}", "{id:int}",
// "{ignored:maxlength(0)?}") to matchers, ordered the way ASP.NET routing prefers them: literal segments before
// constrained parameters before plain parameters before catch-alls.

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
    const param = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+)(?:\((\d+)(?:,(\d+))?\))?)?(\?)?\}$/.exec(seg);
    if (!param && seg.includes('{')) throw new Error(`Route segment '${seg}' is not supported by the dev host`);
    if (!param) {
      pattern += `/${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      precedence.push(0);
      continue;
    }
    const [, catchAll, name, constraint, arg1, arg2, optional] = param;
    paramNames.push(name!);
    if (catchAll) {
      pattern += '(?:/(.*))?';
      precedence.push(3);
    } else {
      const body = constraintPattern(constraint, arg1, arg2);
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
    if (v !== undefined && v !== '') params[name] = decodeURIComponent(v);
  });
  return params;
}

/** ASP.NET route constraints the app may use; an unknown one fails loudly rather than matching everything. */
function constraintPattern(constraint: string | undefined, arg1: string | undefined, arg2: string | undefined): string {
  switch (constraint) {
    case undefined:
      return '[^/]+';
    case 'int':
    case 'long':
      return '-?\\d+';
    case 'guid':
      return '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
    case 'alpha':
      return '[A-Za-z]+';
    case 'bool':
      return '(?:true|false)';
    case 'maxlength':
      return `[^/]{0,${Number(arg1)}}`;
    case 'minlength':
      return `[^/]{${Number(arg1)},}`;
    case 'length':
      return arg2 === undefined ? `[^/]{${Number(arg1)}}` : `[^/]{${Number(arg1)},${Number(arg2)}}`;
    default:
      throw new Error(`Route constraint '${constraint}' is not supported by the dev host`);
  }
}
