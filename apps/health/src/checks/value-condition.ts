// The value conditions live beside the target definitions that parse them (targets may import no other folder).
export * from '../targets/value-condition';
