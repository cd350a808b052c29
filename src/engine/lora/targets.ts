// PEFT's target-module rule, pure (the memory estimate and the adapter share it).

/** PEFT's rule: a module is targeted when its name equals a target or ends with "." + target. */
export function isTargeted(module: string, targets: string[]): boolean {
  return targets.some((t) => module === t || module.endsWith(`.${t}`));
}
