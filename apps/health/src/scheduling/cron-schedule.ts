// Cron schedules live beside the target definitions that validate them (targets may import no other folder).
export * from '../targets/cron-schedule';
