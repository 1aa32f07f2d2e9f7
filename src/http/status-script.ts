// The status page's only script, inline (allowed by its hash in the CSP). It listens to /events and
// rebuilds the tables from the page model (status-model.ts) the way status-html.ts first wrote them;
// it filters rows as the box is typed in and keeps ages current. Tenant strings only ever reach the
// DOM through textContent and setAttribute, never as markup. Kept as a string: the test runner's
// transpiler would add helpers to a real function, and the browser gets exactly these bytes.

export const STATUS_SCRIPT = `
'use strict';
(function () {
  var body = document.body;
  var box = document.getElementById('q');
  var live = document.getElementById('live');
  var offset = 0; // server clock minus ours, from the last page received
  var serverNow = function () { return Date.now() + offset; };
  offset = Number(body.getAttribute('data-now')) - Date.now();

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs) if (attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }
  function age(iso, now) {
    var s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (s < 90) return s + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 129600) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  }
  function cellContent(cell) {
    if (cell.time !== undefined) return [el('time', { datetime: cell.time, title: cell.time }, [age(cell.time, serverNow())])];
    if (cell.lines !== undefined) return cell.lines.map(function (line) { return el('span', { class: 'line' }, [line]); });
    return [cell.text];
  }
  function tone(cell) { return cell.tone ? 'tone-' + cell.tone : undefined; }

  function filterTable(table, needle) {
    var shown = 0, total = 0;
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      var any = false;
      Array.prototype.forEach.call(tbody.rows, function (row) {
        if (row.classList.contains('group')) return;
        total++;
        var keys = row.getAttribute('data-keys');
        var match = needle === '' || keys === null || keys.toLowerCase().indexOf(needle) >= 0;
        row.hidden = !match;
        if (match) { any = true; shown++; }
      });
      tbody.hidden = !any;
    });
    var count = table.querySelector('caption .count');
    if (count) count.textContent = '(' + (shown === total ? total : shown + ' of ' + total) + ')';
    var foot = table.tFoot;
    if (foot) {
      foot.hidden = shown > 0;
      foot.rows[0].cells[0].textContent = total === 0 ? table.getAttribute('data-empty') : 'Nothing matches the filter.';
    }
  }
  function applyFilter() {
    var needle = box.value.trim().toLowerCase();
    Array.prototype.forEach.call(document.querySelectorAll('main table'), function (table) { filterTable(table, needle); });
  }

  function renderTable(model) {
    var table = document.getElementById(model.id);
    if (!table) return;
    Array.prototype.slice.call(table.tBodies).forEach(function (tbody) { tbody.remove(); });
    var foot = table.tFoot;
    model.groups.forEach(function (group) {
      var tbody = el('tbody');
      if (group.title !== null) tbody.append(el('tr', { class: 'group' }, [el('th', { scope: 'rowgroup', colspan: String(model.columns.length) }, [group.title])]));
      group.rows.forEach(function (row) {
        tbody.append(el('tr', { 'data-keys': row.keys.length === 0 ? undefined : row.keys.join('\\n') }, row.cells.map(function (cell, i) {
          return el('td', { 'data-label': model.columns[i] || '', class: tone(cell) }, cellContent(cell));
        })));
      });
      table.insertBefore(tbody, foot);
    });
  }
  function render(page) {
    offset = page.now - Date.now();
    var status = document.getElementById('status');
    status.textContent = page.status;
    status.className = 'tone-' + (page.status === 'ok' ? 'ok' : page.status === 'degraded' ? 'warn' : 'bad');
    document.title = 'route-server: ' + page.status;
    document.getElementById('facts').replaceChildren.apply(document.getElementById('facts'), page.facts.map(function (fact) {
      return el('div', {}, [el('dt', {}, [fact.term]), el('dd', { class: tone(fact.cell) }, cellContent(fact.cell))]);
    }));
    var reasons = document.getElementById('reasons');
    reasons.replaceChildren.apply(reasons, page.reasons.map(function (reason) { return el('li', {}, [reason]); }));
    page.tables.forEach(renderTable);
    applyFilter();
    live.textContent = 'Live: updated ' + new Date().toLocaleTimeString() + '.';
  }

  function connect() {
    var source = new EventSource('/events');
    source.addEventListener('status', function (event) {
      try { render(JSON.parse(event.data)); } catch (error) { live.textContent = 'Could not show an update: ' + error; }
    });
    source.onopen = function () { live.textContent = 'Live: connected.'; };
    source.onerror = function () {
      // The browser retries a dropped stream itself; a refused one (server full, restarted) is ours to retry.
      if (source.readyState === EventSource.CLOSED) {
        live.textContent = 'Live updates stopped; retrying in 10 s.';
        setTimeout(connect, 10000);
      } else live.textContent = 'Live updates interrupted; reconnecting…';
    };
  }

  box.addEventListener('input', function () {
    applyFilter();
    var url = new URL(location.href);
    if (box.value === '') url.searchParams.delete('q'); else url.searchParams.set('q', box.value);
    history.replaceState(null, '', url);
  });
  setInterval(function () {
    Array.prototype.forEach.call(document.querySelectorAll('time[datetime]'), function (node) { node.textContent = age(node.getAttribute('datetime'), serverNow()); });
  }, 5000);
  applyFilter();
  if (window.EventSource) connect();
})();
`;
