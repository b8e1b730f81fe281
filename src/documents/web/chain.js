/*
 * 溯源图 — the custody-chain view. Plain browser JavaScript, no build step: it signs in with the
 * `login` mutation, reads `custodyChain`, `custodyChainByLabel` or `custodyChainByManifest` from
 * /graphql like any client (the token stays in memory), draws the chain with Cytoscape.js (the
 * elements come from chain-graph.js), lists its events as a timeline beside it, and its lots as a
 * table whose buttons select them (keyboard access to everything the graph shows).
 */
(function () {
  'use strict';

  var G = window.HazLedgerGraph;
  var FATE_ZH = G.FATE_ZH;
  var EVENT_ZH = G.EVENT_ZH;
  var shanghai = G.shanghai;
  var short = G.short;
  var API = window.HazLedgerApi;
  var $ = function (id) {
    return document.getElementById(id);
  };

  function setStatus(text, error) {
    var s = $('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  /** The page's state; `window.hazledgerChain` lets a test (or a curious regulator) read the graph. */
  var state = { cy: null, chain: null, alerts: [] };
  window.hazledgerChain = state;

  function select(lotId) {
    if (!state.cy) return;
    state.cy.nodes().unselect();
    var nodes = state.cy.nodes().filter(function (n) {
      return n.data('lotId') === lotId;
    });
    nodes.select();
    var n = state.chain.nodes.filter(function (x) {
      return x.lotId === lotId;
    })[0];
    var d = $('details');
    d.textContent = '';
    if (!n) return;
    d.appendChild(text('strong', n.redacted ? '已隐去（辖区外） ' + n.wasteCode : n.labelCode || n.lotId));
    d.appendChild(
      text(
        'span',
        n.redacted
          ? ' · ' + n.mass + ' kg · ' + (n.region || '')
          : ' · ' +
              n.wasteCode +
              ' · ' +
              n.mass +
              ' kg · ' +
              (FATE_ZH[n.fate] || n.fate || '') +
              ' · 产生 ' +
              (n.producer ? n.producer.name : '—') +
              ' · 持有 ' +
              (n.custodian ? n.custodian.name : '—'),
      ),
    );
    var manifests = n.events.map(function (e) {
      return e.manifestId;
    });
    var alerts = state.alerts.filter(function (a) {
      return a.subjectId === lotId || manifests.indexOf(a.subjectId) >= 0;
    });
    if (alerts.length)
      d.appendChild(
        text(
          'span',
          ' · ⚠ 预警 ' +
            alerts
              .map(function (a) {
                return a.rule;
              })
              .join('、'),
          'flag',
        ),
      );
    Array.prototype.forEach.call($('timeline').children, function (li) {
      li.classList.toggle('selected', li.dataset.lotId === lotId);
    });
  }

  function render(chain, alerts) {
    state.chain = chain;
    state.alerts = alerts;
    var alerted = {};
    alerts.forEach(function (a) {
      alerted[a.subjectId] = true;
    });

    $('result').hidden = false;
    var flagged = chain.nodes.filter(function (n) {
      return (
        alerted[n.lotId] ||
        n.events.some(function (e) {
          return e.discrepancy || e.disputed || (e.manifestId && alerted[e.manifestId]);
        })
      );
    }).length;
    $('summary').textContent =
      chain.nodeCount +
      ' 个批次 lots · ' +
      chain.edgeCount +
      ' 条合并/分装关系 · ' +
      chain.redactedCount +
      ' 个已隐去 redacted · 来源合计 ' +
      chain.sourceMass +
      ' kg · ' +
      flagged +
      ' 个有差异或预警 flagged · ' +
      alerts.length +
      ' 条预警 alerts';
    if (state.cy) state.cy.destroy();
    state.cy = window.cytoscape({
      container: $('graph'),
      elements: G.elements(chain, alerted),
      style: G.STYLE,
      wheelSensitivity: 0.3,
    });
    // left to right: sources first, outcomes last; then fit the whole chain in view
    var layout = state.cy.layout({
      name: 'breadthfirst',
      directed: true,
      spacingFactor: 1.1,
      fit: false,
      transform: function (node, pos) {
        return { x: pos.y * 1.6, y: pos.x * 0.8 };
      },
    });
    layout.run();
    state.cy.fit(undefined, 36);
    state.cy.on('tap', 'node', function (evt) {
      select(evt.target.data('lotId'));
    });

    var byId = {};
    chain.nodes.forEach(function (n) {
      byId[n.lotId] = n;
    });
    var events = [];
    chain.nodes.forEach(function (n) {
      n.events.forEach(function (e) {
        events.push({ e: e, n: n });
      });
    });
    events.sort(function (a, b) {
      return Date.parse(a.e.at) - Date.parse(b.e.at) || a.e.position - b.e.position;
    });
    var ol = $('timeline');
    ol.textContent = '';
    events.forEach(function (x) {
      var li = document.createElement('li');
      li.dataset.lotId = x.n.lotId;
      var b = document.createElement('button');
      b.type = 'button';
      b.appendChild(text('span', shanghai(x.e.at), 'when'));
      b.appendChild(
        text(
          'span',
          (EVENT_ZH[x.e.type] || x.e.type) +
            ' · ' +
            short(x.n.labelCode) +
            ' · ' +
            (x.e.partyName || '') +
            (x.e.manifestNumber ? ' · ' + x.e.manifestNumber : '') +
            (x.e.mass ? ' · ' + x.e.mass + ' kg' : ''),
        ),
      );
      if (x.e.discrepancy)
        b.appendChild(text('span', ' ⚠ 差异 ' + (x.e.discrepancyMass || '') + ' kg', 'flag'));
      if (x.e.disputed) b.appendChild(text('span', ' ⚠ 争议', 'flag'));
      b.addEventListener('click', function () {
        select(x.n.lotId);
      });
      li.appendChild(b);
      ol.appendChild(li);
    });

    var tbody = $('nodes');
    tbody.textContent = '';
    chain.nodes.forEach(function (n) {
      var tr = document.createElement('tr');
      if (n.redacted) tr.className = 'redacted';
      tr.appendChild(text('td', String(n.level)));
      var td = document.createElement('td');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'row-button';
      b.textContent = n.redacted ? '已隐去 redacted' : n.labelCode;
      b.setAttribute('aria-label', '在图中定位 ' + (n.labelCode || n.wasteCode));
      b.addEventListener('click', function () {
        select(n.lotId);
      });
      td.appendChild(b);
      tr.appendChild(td);
      tr.appendChild(text('td', n.wasteCode));
      tr.appendChild(text('td', n.mass, 'num'));
      tr.appendChild(text('td', n.redacted ? n.region || '—' : n.custodian ? n.custodian.name : '—'));
      tr.appendChild(text('td', n.redacted ? '—' : FATE_ZH[n.fate] || n.fate || '—'));
      var flags = [];
      if (
        n.events.some(function (e) {
          return e.discrepancy;
        })
      )
        flags.push('⚠ 差异');
      if (
        alerted[n.lotId] ||
        n.events.some(function (e) {
          return e.manifestId && alerted[e.manifestId];
        })
      )
        flags.push('⚠ 预警');
      if (chain.rootLotIds.indexOf(n.lotId) >= 0) flags.push('查询对象');
      tr.appendChild(text('td', flags.join(' '), flags.length ? 'flag' : ''));
      tbody.appendChild(tr);
    });
    setStatus('已显示 Shown: ' + chain.nodeCount + ' 个批次 lots');
  }

  function onLogin(ev) {
    ev.preventDefault();
    var username = $('username').value.trim();
    var password = $('password').value;
    if (!username || !password) return setStatus('请输入用户名和密码 Enter a username and password', true);
    setStatus('登录中… Signing in');
    API.gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
      i: { username: username, password: password },
    })
      .then(function (d) {
        API.setToken(d.login.accessToken);
        $('password').value = '';
        $('login-section').hidden = true;
        $('search-section').hidden = false;
        $('who').textContent = '已登录 Signed in: ' + username;
        setStatus('');
        $('query').focus();
      })
      .catch(function (e) {
        setStatus('登录失败 Sign-in failed: ' + e.message, true);
      });
  }

  function onSearch(ev) {
    ev.preventDefault();
    var q = $('query').value;
    if (!q.trim()) return setStatus('请输入批次、标签或联单 Enter a lot, label or manifest', true);
    setStatus('查询中… Loading');
    API.lookup(q, $('direction').value)
      .then(function (d) {
        return (
          document.fonts
            ? document.fonts.load('12px "HazLedger Sans SC"', '溯源').catch(function () {})
            : Promise.resolve()
        ).then(function () {
          return d;
        });
      })
      .then(function (d) {
        var chain = d.chain;
        var subjects = chain.nodes
          .filter(function (n) {
            return !n.redacted;
          })
          .map(function (n) {
            return n.lotId;
          });
        chain.nodes.forEach(function (n) {
          n.events.forEach(function (e) {
            if (e.manifestId && subjects.indexOf(e.manifestId) < 0) subjects.push(e.manifestId);
          });
        });
        return API.alertsFor(subjects).then(function (alerts) {
          render(chain, alerts);
        });
      })
      .catch(function (e) {
        if (e.code === 'UNAUTHENTICATED') {
          API.setToken(null);
          $('login-section').hidden = false;
          $('search-section').hidden = true;
        }
        setStatus(
          (e.code === 'NOT_FOUND' ? '未找到（或不在您的辖区） Not found: ' : '出错 Error: ') + e.message,
          true,
        );
      });
  }

  function onLogout() {
    API.setToken(null);
    if (state.cy) state.cy.destroy();
    state.cy = null;
    $('result').hidden = true;
    $('search-section').hidden = true;
    $('login-section').hidden = false;
    $('who').textContent = '';
    setStatus('已退出 Signed out');
    $('username').focus();
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', onLogin);
    $('search-form').addEventListener('submit', onSearch);
    $('logout').addEventListener('click', onLogout);
  });
})();
