/**
 * Other modules' functions, looked up at run time. The benchmark must keep working (and the
 * `gongkai` CLI must keep loading) while those modules change: a missing file or export makes
 * the scenario that needs it report "n/a" instead of breaking the harness.
 */
export type Lookup<F> = { fn: F; missing?: undefined } | { fn?: undefined; missing: string };

export async function lookup<F extends (...args: any[]) => unknown>(modulePath: string, name: string): Promise<Lookup<F>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL(modulePath, import.meta.url).href)) as Record<string, unknown>;
  } catch (error) {
    return { missing: `${modulePath.replace('../', 'src/')} not loadable (${(error as Error).message.split('\n')[0]})` };
  }
  const fn = mod[name];
  if (typeof fn !== 'function') return { missing: `${name}() not exported by ${modulePath.replace('../', 'src/')}` };
  return { fn: fn as F };
}

export async function need<F extends (...args: any[]) => unknown>(modulePath: string, name: string): Promise<F> {
  const found = await lookup<F>(modulePath, name);
  if (!found.fn) throw new Error(found.missing);
  return found.fn;
}
