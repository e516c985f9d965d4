/**
 * Reading a process's settings from its environment, the same way in every component: an empty
 * variable counts as unset (so `FOO= cmd` falls back to the default), and a number that is not one
 * fails with the variable named, as the component's own config error.
 */
export interface EnvReader {
  str(name: string): string | undefined;
  num(name: string): number | undefined;
}

export function envReader(env: NodeJS.ProcessEnv, fail: (message: string) => Error): EnvReader {
  const str = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  return {
    str,
    num(name) {
      const v = str(name);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw fail(`${name}=${JSON.stringify(v)} is not a number`);
      return n;
    },
  };
}

/** The object without its undefined values, so a config schema's defaults apply to what was not set. */
export function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
