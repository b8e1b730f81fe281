import {
  at,
  by,
  CARRIER,
  CARRIER_2,
  deliver,
  given,
  H,
  LOT,
  MANIFEST,
  OUTSIDER,
  play,
  PRODUCER,
  RECEIVER,
  refuseAtLoading,
  relay,
  release,
  replay,
  reserve,
  takeCustody,
} from './lot.fixtures';

describe('lot on a manifest: reserve and release', () => {
  it('reserves a lot for a submitted manifest without changing its state', () => {
    expect(given(...H.stored()).when(reserve())).toEqual({
      result: [
        {
          type: 'LotReservedOnManifest',
          data: { lotId: LOT, manifestId: MANIFEST, consignorPartyId: PRODUCER, at: at(20) },
        },
      ],
    });
    expect(replay(H.reserved())).toMatchObject({ status: 'STORED', openManifestId: MANIFEST });
  });

  it('is idempotent for the same manifest and refuses a second open manifest', () => {
    expect(given(...H.reserved()).when(reserve())).toEqual({ result: [] });
    expect(given(...H.reserved()).when(reserve('man-2'))).toMatchObject({
      error: 'LOT_ON_OPEN_MANIFEST',
      details: { manifestId: MANIFEST },
    });
  });

  it('refuses a consignor that does not hold the lot', () => {
    expect(given(...H.stored()).when(reserve(MANIFEST, by(OUTSIDER)))).toMatchObject({
      error: 'LOT_NOT_IN_CUSTODY',
    });
  });

  it('releases the lot when the manifest is cancelled', () => {
    const h = play(H.reserved(), release());
    expect(h.at(-1)).toEqual({
      type: 'LotReleasedFromManifest',
      data: { lotId: LOT, manifestId: MANIFEST, reason: 'manifest cancelled', at: at(25) },
    });
    expect(replay(h)).toMatchObject({ status: 'STORED', openManifestId: null });
  });

  it('refuses to release a lot from a manifest it is not on', () => {
    expect(given(...H.stored()).when(release())).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'manifestId' },
    });
    expect(given(...H.reserved()).when(release('man-2'))).toMatchObject({ error: 'LOT_ON_OPEN_MANIFEST' });
    expect(given(...H.reserved()).when(release(MANIFEST, by(CARRIER)))).toMatchObject({
      error: 'LOT_NOT_IN_CUSTODY',
    });
  });
});

describe('lot: custody at pickup 转移', () => {
  it('passes to the named carrier with the optional pickup weighing', () => {
    const h = play(H.reserved(), takeCustody({ pickupMassGrams: 12_300 }));
    expect(h.at(-1)).toEqual({
      type: 'LotCustodyTaken',
      data: {
        lotId: LOT,
        manifestId: MANIFEST,
        fromPartyId: PRODUCER,
        carrierPartyId: CARRIER,
        leg: 1,
        pickupMassGrams: 12_300,
        disputed: false,
        disputeReasons: [],
        at: at(30),
      },
    });
    expect(replay(h)).toMatchObject({
      status: 'IN_TRANSIT',
      custodianPartyId: CARRIER,
      leg: 1,
      massGrams: 12_345,
      pickupMassGrams: 12_300,
    });
  });

  it('refuses online: an unnamed carrier, another manifest, a lot on no manifest', () => {
    expect(given(...H.reserved()).when(takeCustody({}, by(OUTSIDER, 30)))).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(given(...H.reserved()).when(takeCustody({ manifestId: 'man-2' }))).toMatchObject({
      error: 'LOT_ON_OPEN_MANIFEST',
    });
    expect(given(...H.stored()).when(takeCustody())).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'manifestId' },
    });
    expect(given(...H.reserved()).when(takeCustody({ pickupMassGrams: 0 }))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'pickupMassGrams' },
    });
  });

  it('records an offline scan after a cancellation, disputed (a reconciliation alert, never dropped)', () => {
    const h = play(H.reserved(), release(), takeCustody({}, by(CARRIER, 30, true)));
    expect(h.at(-1)).toMatchObject({
      type: 'LotCustodyTaken',
      data: { disputed: true, disputeReasons: ['LOT_NOT_ON_MANIFEST'] },
    });
    expect(replay(h)).toMatchObject({ status: 'IN_TRANSIT', disputed: true });
  });

  it('records an offline scan by a carrier the manifest does not name, disputed', () => {
    const h = play(H.reserved(), takeCustody({}, by(OUTSIDER, 30, true)));
    expect(h.at(-1)).toMatchObject({
      data: { carrierPartyId: OUTSIDER, disputed: true, disputeReasons: ['CARRIER_NOT_NAMED'] },
    });
    expect(replay(play(h, relay(by(CARRIER_2, 40, true), 'party-x')))).toMatchObject({
      custodianPartyId: CARRIER_2,
      leg: 2,
      disputed: true,
    });
  });

  it('records an offline scan whose handover checks failed at sync, disputed', () => {
    const h = play(
      H.reserved(),
      takeCustody({ disputeReasons: ['HANDOVER_CODE_INVALID'] }, by(CARRIER, 30, true)),
    );
    expect(h.at(-1)).toMatchObject({ data: { disputed: true, disputeReasons: ['HANDOVER_CODE_INVALID'] } });
  });

  it('lets the carrier refuse a container at loading: it stays, free again', () => {
    const h = play(H.reserved(), refuseAtLoading());
    expect(h.at(-1)).toEqual({
      type: 'LotRefusedAtLoading',
      data: { lotId: LOT, manifestId: MANIFEST, carrierPartyId: CARRIER, reason: 'drum leaking', at: at(30) },
    });
    expect(replay(h)).toMatchObject({ status: 'STORED', custodianPartyId: PRODUCER, openManifestId: null });
    expect(given(...H.reserved()).when(refuseAtLoading(MANIFEST, by(PRODUCER)))).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(given(...H.stored()).when(refuseAtLoading())).toMatchObject({ error: 'BAD_USER_INPUT' });
  });
});

describe('lot: relay and delivery 运输', () => {
  it('relays to the carrier named for the next leg', () => {
    const h = play(H.inTransit(), relay());
    expect(h.at(-1)).toMatchObject({
      type: 'LotRelayed',
      data: {
        fromCarrierPartyId: CARRIER,
        toCarrierPartyId: CARRIER_2,
        leg: 2,
        place: 'Zhengzhou ring road depot',
        at: at(40),
      },
    });
    expect(replay(h)).toMatchObject({ status: 'IN_TRANSIT', custodianPartyId: CARRIER_2, leg: 2 });
  });

  it('refuses a relay by an unnamed carrier, to itself, or on another manifest', () => {
    expect(given(...H.inTransit()).when(relay(by(OUTSIDER, 40)))).toMatchObject({ error: 'FORBIDDEN' });
    expect(given(...H.inTransit()).when(relay(by(CARRIER_2, 40), null))).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(given(...H.inTransit()).when(relay(by(CARRIER, 40), CARRIER))).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(given(...H.inTransit()).when(relay(by(CARRIER_2, 40), CARRIER_2, 'man-2'))).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'manifestId' },
    });
  });

  it('delivers only to the named receiver, recorded by the carrier or that receiver', () => {
    expect(given(...H.inTransit()).when(deliver())).toEqual({
      result: [
        {
          type: 'LotDelivered',
          data: {
            lotId: LOT,
            manifestId: MANIFEST,
            carrierPartyId: CARRIER,
            receiverPartyId: RECEIVER,
            siteId: 'site-disposer',
            at: at(50),
          },
        },
      ],
    });
    expect(given(...H.inTransit()).when(deliver(by(RECEIVER, 50)))).toMatchObject({
      result: [{ type: 'LotDelivered' }],
    });
    expect(given(...H.inTransit()).when(deliver(by(CARRIER, 50), OUTSIDER))).toMatchObject({
      error: 'FORBIDDEN',
      details: { field: 'receiverPartyId' },
    });
    expect(given(...H.inTransit()).when(deliver(by(OUTSIDER, 50)))).toMatchObject({ error: 'FORBIDDEN' });
    expect(replay(H.delivered())).toMatchObject({
      status: 'DELIVERED',
      custodianPartyId: RECEIVER,
      carrierPartyId: CARRIER,
    });
  });
});
