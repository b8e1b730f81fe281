/*
 * 溯源图 (API part) — the GraphQL calls of the custody-chain page, like any client of /graphql:
 * `login`, the chain by label code, lot id, manifest id or number, and the alerts about the chain.
 * The access token stays in memory only. Exposes `window.HazLedgerApi` for chain.js.
 */
(function () {
  'use strict';

  var token = null;

  var NODE =
    'lotId level redacted wasteCode category mass region labelCode status fate originKind ' +
    'producer { id name } custodian { id name } manifestId ' +
    'events { position type at partyId partyName fromPartyName manifestId manifestNumber mass discrepancy discrepancyMass decision method disputed relatedLotId }';
  var CHAIN =
    'rootLotIds direction nodeCount edgeCount redactedCount sourceLotIds sourceMass ' +
    'nodes { ' +
    NODE +
    ' } edges { fromLotId toLotId kind mass at } outcomes { kind lotId mass }';

  function gql(query, variables) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch('/graphql', {
      method: 'POST',
      headers: headers,
      body: JSON.stringify({ query: query, variables: variables || {} }),
    })
      .then(function (r) {
        return r.json();
      })
      .then(function (body) {
        if (body.errors && body.errors.length) {
          var e = new Error(body.errors[0].message);
          e.code = body.errors[0].extensions && body.errors[0].extensions.code;
          throw e;
        }
        return body.data;
      });
  }

  /** What the caller typed: a label code, a lot or manifest id, or a manifest number. */
  function lookup(raw, direction) {
    var q = raw.trim();
    var compact = q.toUpperCase().replace(/[\s_-]/g, '');
    var vars = { d: direction };
    if (/^HL\d{4}[0-9A-Z]{12}$/.test(compact)) {
      vars.code = q;
      return gql(
        'query($code: String!, $d: ChainDirection) { chain: custodyChainByLabel(labelCode: $code, direction: $d) { ' +
          CHAIN +
          ' } }',
        vars,
      );
    }
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q)) {
      vars.id = q.toLowerCase();
      return gql(
        'query($id: ID!, $d: ChainDirection) { chain: custodyChain(lotId: $id, direction: $d) { ' +
          CHAIN +
          ' } }',
        vars,
      ).catch(function (e) {
        if (e.code !== 'NOT_FOUND') throw e;
        return gql(
          'query($id: ID!, $d: ChainDirection) { chain: custodyChainByManifest(manifestId: $id, direction: $d) { ' +
            CHAIN +
            ' } }',
          vars,
        );
      });
    }
    return gql('query($n: String!) { manifestByNumber(number: $n) { id } }', { n: q }).then(function (d) {
      vars.id = d.manifestByNumber.id;
      return gql(
        'query($id: ID!, $d: ChainDirection) { chain: custodyChainByManifest(manifestId: $id, direction: $d) { ' +
          CHAIN +
          ' } }',
        vars,
      );
    });
  }

  /** Open alerts about the chain's lots and manifests (subjects), 25 subjects to a request. */
  function alertsFor(ids) {
    var chunks = [];
    for (var i = 0; i < Math.min(ids.length, 100); i += 25) chunks.push(ids.slice(i, i + 25));
    return Promise.all(
      chunks.map(function (chunk) {
        var fields = chunk.map(function (id, j) {
          return (
            'a' +
            j +
            ': alerts(first: 20, filter: { subjectId: ' +
            JSON.stringify(id) +
            ' }) { nodes { id rule severity subjectId status raisedAt } }'
          );
        });
        return gql('{ ' + fields.join(' ') + ' }').catch(function () {
          return {};
        });
      }),
    ).then(function (results) {
      var out = [];
      results.forEach(function (r) {
        Object.keys(r).forEach(function (k) {
          out = out.concat(r[k].nodes);
        });
      });
      return out;
    });
  }

  window.HazLedgerApi = {
    gql: gql,
    lookup: lookup,
    alertsFor: alertsFor,
    setToken: function (t) {
      token = t;
    },
  };
})();
