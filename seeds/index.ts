import { type DemoWorld, type Gql, seedDemoParties } from './demo-world';

/**
 * The demo world's scenarios, in order. Each capability adds its step (licences, lots,
 * manifests…) so that a newcomer sees a living ledger after `npm start`.
 */
export const DEMO_STEPS: { name: string; run: (world: DemoWorld) => Promise<void> }[] = [];

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
