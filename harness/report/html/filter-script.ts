/**
 * The page's only script: the outcome filter of the requirement table, and opening every collapsed section
 * for printing. It carries no report data at all - it reads the outcomes from the rows' data attributes - so
 * nothing a target sends can ever end up inside a <script> element. The Content-Security-Policy admits this
 * exact text by its hash, and nothing else.
 */
export const FILTER_SCRIPT = `
(function () {
  'use strict';
  var PROBLEMS = ['FAIL', 'ERROR', 'NOT_EXECUTED', 'WAIVED', 'WARN'];
  var box = document.getElementById('outcome-filter');
  var status = document.getElementById('filter-status');
  if (!box || !status) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.requirements tbody tr[data-outcome]'));
  var boxes = Array.prototype.slice.call(box.querySelectorAll('input[type="checkbox"][data-outcome]'));

  function apply() {
    var wanted = Object.create(null);
    boxes.forEach(function (input) { wanted[input.getAttribute('data-outcome')] = input.checked; });
    var shown = 0;
    rows.forEach(function (row) {
      var on = wanted[row.getAttribute('data-outcome')] !== false;
      row.classList.toggle('filtered-out', !on);
      if (on) shown++;
    });
    status.textContent = shown + ' of ' + rows.length + ' shown';
  }

  function preset(name) {
    boxes.forEach(function (input) {
      input.checked = name === 'all' || PROBLEMS.indexOf(input.getAttribute('data-outcome')) !== -1;
    });
    apply();
  }

  box.addEventListener('change', apply);
  box.addEventListener('click', function (event) {
    var target = event.target;
    if (target instanceof HTMLButtonElement && target.hasAttribute('data-preset')) preset(target.getAttribute('data-preset'));
  });
  box.hidden = false;
  apply();

  // A printed report is a certificate: every collapsed section is opened for printing and closed again after.
  var reopened = [];
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.open = true; reopened.push(d); });
  });
  window.addEventListener('afterprint', function () {
    reopened.splice(0).forEach(function (d) { d.open = false; });
  });
})();
`;
