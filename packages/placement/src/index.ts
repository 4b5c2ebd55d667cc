export { NodeView } from './node-view.js';
export type { NodeViewOptions, NodeSnapshot } from './node-view.js';
export { NodeTable } from './node-table.js';
export type { NodeCandidate, ReceivedHeartbeat } from './node-table.js';
export { rankNodes } from './choose.js';
export type { PlacementTarget } from './choose.js';
export { Dispatcher } from './dispatch.js';
export { NatsLink } from './nats-link.js';
export type { DispatcherOptions } from './dispatch.js';
