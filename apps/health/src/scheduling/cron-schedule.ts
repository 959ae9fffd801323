// The implementation lives in targets/ (target kinds validate their schedules at load, and targets/ is
// the lowest layer); the scheduler keeps importing it from here.
export * from '../targets/cron-schedule';
