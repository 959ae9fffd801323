/** Injection token of the validated targets (`readonly TargetDefinition[]`), in file order. */
export const HEALTH_TARGETS = Symbol('HEALTH_TARGETS');

/** Injection token of the targets file's global maintenance windows (`readonly MaintenanceWindow[]`). */
export const HEALTH_GLOBAL_MAINTENANCE = Symbol('HEALTH_GLOBAL_MAINTENANCE');
