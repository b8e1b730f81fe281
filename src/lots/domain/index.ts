/** 批次 — the lot domain: events, commands, state, deciders and the state-machine table. */
export * from './lot.events';
export * from './lot.commands';
export * from './lot.state';
export * from './lot.transitions';
export { decide, evolve, lotDecider } from './lot.decider';
export { decideReceipt } from './lot-receipt.decider';
export { decideConsolidation, decideSplit, decideTreatment, type LotSource } from './lot-lineage.decider';
export { withinTolerance, modeOfMethod, actsAllowedIn } from './lot.policy';
