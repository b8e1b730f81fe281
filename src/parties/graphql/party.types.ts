/** The parties GraphQL types, by role: enums, inputs (class-validator) and objects. */
export * from './party.enums';
export * from './party.inputs';
export * from './party.objects';
