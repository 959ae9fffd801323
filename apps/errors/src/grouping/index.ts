export { isAppFrame, normaliseFilename } from './frame-filename';
export { GROUPING_VERSION, type GroupingKey, groupingKey, type GroupingKind } from './grouping-key';
export { parameterise } from './parameterise';
