/** The manifests GraphQL inputs, by act: enums, shared bases, drafting, custody and receipt. */
export * from './manifest.enums';
export * from './manifest-base.inputs';
export * from './manifest-drafting.inputs';
export * from './manifest-acts.inputs';
