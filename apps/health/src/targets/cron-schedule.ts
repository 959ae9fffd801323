// Cron schedules live in targets/ (a leaf layer) so that target kinds and maintenance windows can validate
// and evaluate them; this path stays for the code that names it.
export { cronScheduleProblem, nextCronTime, type CronSchedule } from '../targets/cron-schedule';
