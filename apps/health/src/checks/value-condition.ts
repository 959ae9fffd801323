// The implementation lives in targets/ (target kinds validate their conditions at load, and targets/ is
// the lowest layer); checkers keep importing it from here.
export * from '../targets/value-condition';
