/*
 * 溯源图 (graph part) — turns a custody chain as GraphQL returns it into Cytoscape.js elements: each
 * lot appears once per party that held it (sized by its mass); dashed edges are custody handovers
 * (manifests, exempt handovers), solid edges consolidations, splits, residues and rejected parts;
 * redacted lots are grey; discrepancies and alerts are red. Plain browser JavaScript, no build step;
 * exposes `window.HazLedgerGraph` for chain.js.
 */
(function () {
  'use strict';

  var FATE_ZH = {
    HELD: '贮存中',
    IN_TRANSIT: '运输中',
    CONSOLIDATED: '已合并',
    SPLIT: '已分装',
    UTILISED: '已利用',
    DISPOSED: '已处置',
    LOST: '损失',
  };
  var FATE_COLOR = {
    HELD: '#9ecae1',
    IN_TRANSIT: '#fdd49e',
    CONSOLIDATED: '#c7e9c0',
    SPLIT: '#dadaeb',
    UTILISED: '#a1d99b',
    DISPOSED: '#fcbba1',
    LOST: '#fb6a4a',
  };
  var KIND_ZH = { CONSOLIDATION: '合并', SPLIT: '分装', RESIDUE: '残渣', REJECTED_PART: '拒收部分' };
  var EVENT_ZH = {
    LotGenerated: '产生',
    LotStored: '入库贮存',
    LotMoved: '库内转移',
    LotReservedOnManifest: '列入联单',
    LotReleasedFromManifest: '移出联单',
    LotCustodyTaken: '承运接收',
    LotRefusedAtLoading: '装车拒收',
    LotRelayed: '联运交接',
    LotDelivered: '运抵交付',
    LotReceived: '接收称重',
    LotRejectedPartCreated: '拒收部分',
    LotHandedOverExempt: '豁免交接',
    LotConsolidatedInto: '合并入新批次',
    LotCreatedByConsolidation: '合并生成',
    LotSplit: '分装',
    LotCreatedBySplit: '分装生成',
    LotTreated: '利用/处置',
    LotCreatedAsResidue: '残渣生成',
    LotLossRecorded: '损失',
  };
  /** Acts by which a lot comes to a (new) holder. */
  var CUSTODY = [
    'LotGenerated',
    'LotCreatedByConsolidation',
    'LotCreatedBySplit',
    'LotCreatedAsResidue',
    'LotRejectedPartCreated',
    'LotCustodyTaken',
    'LotRelayed',
    'LotDelivered',
    'LotReceived',
    'LotHandedOverExempt',
  ];

  /** `YYYY-MM-DD HH:mm`, Beijing time. */
  function shanghai(iso) {
    return new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ');
  }
  /** The last characters of a label code, enough to tell lots apart on the graph. */
  function short(code) {
    return code ? code.slice(-9) : '';
  }
  /** A lot's holders in order (consecutive acts by the same party are one stay). */
  function stays(n) {
    var out = [];
    (n.events || []).forEach(function (e) {
      if (CUSTODY.indexOf(e.type) < 0 || !e.partyId) return;
      var last = out[out.length - 1];
      if (last && last.partyId === e.partyId) {
        if (e.discrepancy) last.discrepancy = true;
        return;
      }
      out.push({ partyId: e.partyId, partyName: e.partyName, via: e, discrepancy: !!e.discrepancy });
    });
    if (!out.length) {
      out.push({
        partyId: n.custodian ? n.custodian.id : null,
        partyName: n.custodian ? n.custodian.name : null,
        via: null,
        discrepancy: false,
      });
    }
    return out;
  }

  function custodyLabel(e) {
    if (!e) return '';
    var name = EVENT_ZH[e.type] || e.type;
    return e.manifestNumber ? name + ' ' + e.manifestNumber : name;
  }

  function elements(chain, alerted) {
    var maxMass = Math.max.apply(
      null,
      chain.nodes
        .map(function (n) {
          return Number(n.mass) || 0;
        })
        .concat([0.001]),
    );
    var els = [];
    var ends = {};
    chain.nodes.forEach(function (n) {
      var s = stays(n);
      var size = Math.round(26 + 54 * Math.sqrt((Number(n.mass) || 0) / maxMass));
      var flagged =
        alerted[n.lotId] ||
        n.events.some(function (e) {
          return e.discrepancy || e.disputed;
        });
      s.forEach(function (stay, i) {
        var id = n.lotId + '#' + i;
        var label = n.redacted
          ? '已隐去 redacted\n' + n.wasteCode + ' · ' + n.mass + ' kg\n' + (n.region || '')
          : short(n.labelCode) + '\n' + (stay.partyName || '') + (i === 0 ? '\n' + n.mass + ' kg' : '');
        var classes = [n.redacted ? 'redacted' : 'lot'];
        // an alert about the manifest that brought the lot here flags this stay and its handover
        var manifestAlert = !!(stay.via && stay.via.manifestId && alerted[stay.via.manifestId]);
        if (manifestAlert || (flagged && (stay.discrepancy || alerted[n.lotId] || i === s.length - 1)))
          classes.push('flagged');
        if (chain.rootLotIds.indexOf(n.lotId) >= 0) classes.push('root');
        els.push({
          group: 'nodes',
          classes: classes.join(' '),
          data: {
            id: id,
            lotId: n.lotId,
            label: label,
            size: size,
            color: n.redacted ? '#bdbdbd' : FATE_COLOR[n.fate] || '#9ecae1',
          },
        });
        if (i > 0) {
          els.push({
            group: 'edges',
            classes: 'custody' + (stay.discrepancy || manifestAlert ? ' flagged' : ''),
            data: {
              id: id + '>',
              source: n.lotId + '#' + (i - 1),
              target: id,
              label: custodyLabel(stay.via),
              width: 2,
            },
          });
        }
      });
      ends[n.lotId] = { first: n.lotId + '#0', last: n.lotId + '#' + (s.length - 1) };
    });
    chain.edges.forEach(function (e, i) {
      if (!ends[e.fromLotId] || !ends[e.toLotId]) return;
      els.push({
        group: 'edges',
        classes: 'lineage',
        data: {
          id: 'l' + i,
          source: ends[e.fromLotId].last,
          target: ends[e.toLotId].first,
          label: (KIND_ZH[e.kind] || e.kind) + ' ' + e.mass + ' kg',
          width: Math.max(1.5, Math.min(8, 1.5 + 6 * Math.sqrt(Number(e.mass) / maxMass))),
        },
      });
    });
    return els;
  }

  var FONT = 'system-ui, "HazLedger Sans SC", sans-serif';
  var STYLE = [
    {
      selector: 'node',
      style: {
        'font-family': FONT,
        'background-color': 'data(color)',
        width: 'data(size)',
        height: 'data(size)',
        label: 'data(label)',
        'font-size': 11,
        'text-wrap': 'wrap',
        'text-max-width': 150,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        color: '#111',
        'text-background-color': '#fff',
        'text-background-opacity': 0.9,
        'text-background-padding': 2,
        'border-width': 2,
        'border-color': '#333',
      },
    },
    {
      selector: 'node.redacted',
      style: { shape: 'round-rectangle', 'border-style': 'dashed', color: '#333' },
    },
    { selector: 'node.root', style: { 'border-color': '#0050b3', 'border-width': 4 } },
    {
      selector: 'node.flagged',
      style: { 'border-color': '#b00020', 'border-width': 6, 'border-style': 'double' },
    },
    {
      selector: 'edge',
      style: {
        'font-family': FONT,
        width: 'data(width)',
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'line-color': '#555',
        'target-arrow-color': '#555',
        label: 'data(label)',
        'font-size': 9,
        color: '#111',
        'text-rotation': 'autorotate',
        'text-background-color': '#fff',
        'text-background-opacity': 0.9,
        'text-background-padding': 1,
      },
    },
    {
      selector: 'edge.custody',
      style: { 'line-style': 'dashed', 'line-color': '#0b6e4f', 'target-arrow-color': '#0b6e4f' },
    },
    { selector: 'edge.flagged', style: { 'line-color': '#b00020', 'target-arrow-color': '#b00020' } },
    {
      selector: 'node:selected',
      style: { 'overlay-color': '#0050b3', 'overlay-opacity': 0.3, 'overlay-padding': 6 },
    },
  ];

  window.HazLedgerGraph = {
    FATE_ZH: FATE_ZH,
    EVENT_ZH: EVENT_ZH,
    STYLE: STYLE,
    elements: elements,
    shanghai: shanghai,
    short: short,
  };
})();
