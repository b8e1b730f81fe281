import { DomainError } from '../shared/domain/domain-error';
import { inputField, withInputFields } from './manifest-input';

describe('manifest input fields: a refusal names the field as the GraphQL input names it', () => {
  it.each([
    ['content.lots[0].declaredGrams', 'input.lots.0.declaredMass'],
    ['content.receiverId', 'input.receiverPartyId'],
    ['changes.legs[1].carrierId', 'input.legs.1.carrierPartyId'],
    ['content.endPoint.divisionCode', 'input.receiverSiteId'],
    ['content.precedingManifest', 'input.precedingManifestId'],
    ['receipts[2].measuredGrams', 'input.receipts.2.measuredMass'],
    ['pickupMasses[0].grams', 'input.pickupMasses.0.mass'],
    ['plannedDate', 'input.plannedDate'],
    ['measuredMassGrams', 'input.measuredMass'],
  ])('%s → %s', (from, to) => {
    expect(inputField(from)).toBe(to);
  });

  it('renames the field of a DomainError, keeps its code, and leaves other errors alone', () => {
    const renamed = (() => {
      try {
        return withInputFields(() => {
          throw DomainError.badInput('content.lots[1].method', 'bad');
        });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(renamed).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.lots.1.method' } });
    expect(() =>
      withInputFields(() => {
        throw new Error('bug');
      }),
    ).toThrow('bug');
  });
});
