import type { DemoWorld } from './demo-world';

const year = (): number => Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));

/**
 * 管理计划 — this year's management plans of the two producers that ship waste in the demo (the
 * repair shop's waste oil to the recycler, the township health centre's medical waste to the
 * disposal centre), filed through the API before their manifests, which the plans govern
 * (NOT_IN_PLAN). Both sites are 登记管理 (REGISTRATION): generation and transfers.
 */
export async function seedManagementPlans(w: DemoWorld): Promise<void> {
  const plans = [
    {
      party: 'repair',
      code: '900-214-08',
      process: '车辆保养换油',
      receiver: 'recycler',
      method: 'R9',
      amount: '2000.000',
    },
    {
      party: 'township',
      code: '841-001-01',
      process: '诊疗、住院',
      receiver: 'medDisposal',
      method: 'D10',
      amount: '3000.000',
    },
  ];
  for (const p of plans) {
    const unit = w.parties[p.party];
    await w.gql(
      `mutation($i: FileManagementPlanInput!) { fileManagementPlan(input: $i) { filingNumber } }`,
      {
        i: {
          idempotencyKey: `demo-plan-${p.party}`,
          siteId: unit.siteId,
          year: year(),
          content: {
            generation: [{ wasteCode: p.code, expectedAmount: p.amount, process: p.process }],
            transfers: [
              {
                wasteCode: p.code,
                receiverPartyId: w.parties[p.receiver].id,
                method: p.method,
                expectedAmount: p.amount,
              },
            ],
          },
        },
      },
      unit.token,
    );
  }
}
