/** 电子转移联单 — the transfer manifest domain (pure TypeScript). */
export * from './manifest.types';
export * from './manifest.facts';
export * from './manifest.events';
export * from './manifest.commands';
export * from './manifest.state';
export * from './manifest.transitions';
export * from './manifest.decider';
export * from './manifest.allowed-actions';
export { rolesOf, diffLabels, isDiscrepancy } from './manifest.policy';
export { lotsToSettle } from './manifest-receipt.decider';
export * from './collection-round';
