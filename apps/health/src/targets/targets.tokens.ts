/** Injection token of the validated targets (`readonly TargetDefinition[]`), in file order. */
export const HEALTH_TARGETS = Symbol('HEALTH_TARGETS');
