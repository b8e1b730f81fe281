import { replay } from '../../shared/domain/decider';
import { type CarrierCommand, carrierDecider } from './carrier.decider';
import type { CarrierEvent } from './licence.events';
import { codeOf, detailsOf, HENAN, HENAN_TRANSPORT, meta } from './licence.test-fixtures';

type Data<T extends CarrierCommand['type']> = Extract<CarrierCommand, { type: T }>['data'];
const cmd = <T extends CarrierCommand['type']>(type: T, data: Data<T>) =>
  ({ type, data, meta }) as CarrierCommand;
const given = (events: CarrierEvent[]) => replay(carrierDecider, events);
const when = (events: CarrierEvent[], c: CarrierCommand) => carrierDecider.decide(c, given(events));

const permit = (over: Partial<Data<'RegisterTransportPermit'>> = {}) =>
  cmd('RegisterTransportPermit', {
    partyId: 'carrier',
    partyTypes: ['TRANSPORTER'],
    permitId: 'permit-1',
    number: '豫交运管许可郑字410100001号',
    scope: '危险货物运输（第9类）',
    validFrom: '2024-01-01',
    validTo: '2027-12-31',
    ...over,
  });
const vehicle = (over: Partial<Data<'RegisterVehicle'>> = {}) =>
  cmd('RegisterVehicle', {
    partyId: 'carrier',
    vehicleId: 'v-1',
    permitId: 'permit-1',
    plate: '豫a12345',
    certificateNumber: '410100123456',
    certificateValidTo: '2026-03-31',
    medicalWasteVehicle: true,
    gpsDeviceId: null,
    ...over,
  });
const crew = (over: Partial<Data<'RegisterCrewMember'>> = {}) =>
  cmd('RegisterCrewMember', {
    partyId: 'carrier',
    personId: 'p-1',
    role: 'DRIVER',
    certificateValidTo: '2026-12-31',
    ...over,
  });

describe('carrier decider (permits, vehicles, crew)', () => {
  const registered = when([], permit());
  const withVehicle = [...registered, ...when(registered, vehicle())];

  it('registers a permit, then a vehicle under it (plate normalised), then crew; a regulator verifies them', () => {
    expect(registered[0]).toMatchObject({
      type: 'TransportPermitRegistered',
      data: { permitId: 'permit-1', validTo: '2027-12-31' },
    });
    expect(withVehicle[1]).toMatchObject({
      type: 'VehicleRegistered',
      data: { plate: '豫A12345', medicalWasteVehicle: true },
    });
    const verified = when(withVehicle, cmd('VerifyTransportPermit', { permitId: 'permit-1', agency: HENAN }));
    expect(verified).toEqual([
      {
        type: 'TransportPermitVerified',
        data: { partyId: 'carrier', permitId: 'permit-1', agencyId: 'henan' },
      },
    ]);
    expect(when(withVehicle, cmd('VerifyVehicle', { vehicleId: 'v-1', agency: HENAN }))[0].type).toBe(
      'VehicleVerified',
    );
    const c = when(withVehicle, crew());
    expect(c).toEqual([
      {
        type: 'CrewMemberRegistered',
        data: { partyId: 'carrier', personId: 'p-1', role: 'DRIVER', certificateValidTo: '2026-12-31' },
      },
    ]);
    expect(given([...withVehicle, ...c]).crew).toEqual({ 'p-1': 'DRIVER' });
  });

  it('refuses a permit for a party that is not a TRANSPORTER, a repeated number, bad or past dates', () => {
    expect(codeOf(() => when([], permit({ partyTypes: ['PRODUCER'] })))).toBe('FORBIDDEN');
    expect(detailsOf(() => when(registered, permit({ permitId: 'permit-2' })))).toMatchObject({
      field: 'number',
    });
    expect(detailsOf(() => when([], permit({ validTo: '2025-06-14' })))).toMatchObject({ field: 'validTo' });
    expect(codeOf(() => when([], permit({ validFrom: '2028-01-01' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], permit({ number: 'x' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], permit({ validTo: '2027-02-30' })))).toBe('BAD_USER_INPUT');
  });

  it('refuses a vehicle under an unknown permit, a bad or repeated plate, an expired certificate', () => {
    expect(detailsOf(() => when([], vehicle()))).toMatchObject({ field: 'permitId' });
    expect(detailsOf(() => when(registered, vehicle({ plate: 'ABC123' })))).toMatchObject({ field: 'plate' });
    expect(codeOf(() => when(registered, vehicle({ plate: '豫AI2345' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(registered, vehicle({ plate: '豫AD12345' })))).toBe('no error');
    expect(codeOf(() => when(registered, vehicle({ plate: '豫A1234挂' })))).toBe('no error');
    expect(detailsOf(() => when(withVehicle, vehicle({ vehicleId: 'v-2' })))).toMatchObject({
      field: 'plate',
    });
    expect(detailsOf(() => when(registered, vehicle({ certificateValidTo: '2025-06-01' })))).toMatchObject({
      field: 'certificateValidTo',
    });
  });

  it('refuses crew with an unknown role or an expired certificate', () => {
    expect(codeOf(() => when([], crew({ role: 'LOADER' as never })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], crew({ certificateValidTo: '2025-06-14' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], crew({ role: 'ESCORT', certificateValidTo: '2025-06-15' })))).toBe(
      'no error',
    );
  });

  it('verifies only what exists and is not verified yet, and only by an environment agency', () => {
    expect(
      codeOf(() => when([], cmd('VerifyTransportPermit', { permitId: 'permit-1', agency: HENAN }))),
    ).toBe('NOT_FOUND');
    expect(codeOf(() => when(registered, cmd('VerifyVehicle', { vehicleId: 'v-9', agency: HENAN })))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(() =>
        when(registered, cmd('VerifyTransportPermit', { permitId: 'permit-1', agency: HENAN_TRANSPORT })),
      ),
    ).toBe('FORBIDDEN');
    const verified = [
      ...withVehicle,
      ...when(withVehicle, cmd('VerifyTransportPermit', { permitId: 'permit-1', agency: HENAN })),
    ];
    expect(
      codeOf(() => when(verified, cmd('VerifyTransportPermit', { permitId: 'permit-1', agency: HENAN }))),
    ).toBe('INVALID_TRANSITION');
    const vv = [...verified, ...when(verified, cmd('VerifyVehicle', { vehicleId: 'v-1', agency: HENAN }))];
    expect(codeOf(() => when(vv, cmd('VerifyVehicle', { vehicleId: 'v-1', agency: HENAN })))).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('evolve throws on an impossible history', () => {
    expect(() =>
      given([{ type: 'VehicleVerified', data: { partyId: 'carrier', vehicleId: 'v', agencyId: 'a' } }]),
    ).toThrow();
    expect(() => given([withVehicle[1]])).toThrow();
  });
});
