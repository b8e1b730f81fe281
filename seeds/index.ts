import { seedClinicConsolidation, seedLicencesAndCarrier, seedManifests } from './demo-scenarios';
import { seedManagementPlans } from './demo-flows';
import { type DemoWorld, type Gql, seedDemoParties } from './demo-world';

/**
 * The demo world's scenarios, in order. Each capability adds its step (licences, lots,
 * manifests…) so that a newcomer sees a living ledger after `npm start`.
 */
export const DEMO_STEPS: { name: string; run: (world: DemoWorld) => Promise<void> }[] = [
  {
    name: 'management plans of the repair shop and the township health centre for this year (they govern the manifests)',
    run: seedManagementPlans,
  },
  {
    name: 'licences, a carrier with its permit, vehicles and crew; clinic waste consolidated at the township health centre; a closed and an open manifest',
    run: async (w) => {
      const carrier = await seedLicencesAndCarrier(w);
      const { consolidatedLotId } = await seedClinicConsolidation(w);
      await seedManifests(w, carrier, consolidatedLotId);
    },
  },
];

export async function seedDemo(
  gql: Gql,
  sys: { username: string; password: string },
  log: (m: string) => void,
): Promise<DemoWorld> {
  const world = await seedDemoParties(gql, sys);
  log(
    `demo world: ${Object.keys(world.agencies).length} agencies, ${Object.keys(world.parties).length} parties`,
  );
  for (const step of DEMO_STEPS) {
    await step.run(world);
    log(`demo world: ${step.name}`);
  }
  return world;
}
