import type { Report, TargetIdentity } from '../../model/index.js';
import { html, type Markup, type Part } from './markup.js';

/** A definition list row; rows without a value are left out rather than shown empty. */
export function fact(name: string, value: Part): Markup {
  if (value === undefined || value === null || value === false || value === '') return html``;
  return html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`;
}

function identityTable(identity: TargetIdentity): Markup {
  const fields = Object.entries(identity.fields);
  return html`<div class="identity"><p class="identity-source">source: ${identity.source}</p>
${fields.length === 0 ? html`<p class="muted">no fields</p>` : html`<table class="kv">${fields.map(([name, value]) => html`<tr><th scope="row">${name}</th><td>${value === '' ? html`<span class="muted">(empty)</span>` : value}</td></tr>`)}</table>`}</div>`;
}

/**
 * Who was tested: the target as configured, and what it said about itself (the OI4 MAM, the OPC UA BuildInfo, the
 * DI nameplate). A lab compares the latter with the product on the bench, so it is shown field by field.
 */
export function targetSection(report: Report): Markup {
  const { target, profile } = report;
  const identities = target.identities && target.identities.length > 0 ? target.identities : target.identity ? [target.identity] : [];
  return html`<section id="target" class="cards">
<div class="card"><h2>Target</h2><table class="kv">
${fact('name', target.name)}
${fact('reference', target.reference)}
${fact('kind', target.kind)}
${fact('endpoint', target.endpoint && html`<code>${target.endpoint}</code>`)}
${fact('OPC UA endpoint', target.opcuaEndpoint && html`<code>${target.opcuaEndpoint}</code>`)}
${fact('AppId', target.appId && html`<code>${target.appId}</code>`)}
${fact('service type', target.serviceType)}
${fact('claimed groups', profile.claimedGroups.length > 0 ? profile.claimedGroups.join(', ') : html`<span class="muted">none</span>`)}
${target.faults.length > 0 && fact('faults', html`<span class="fault">${target.faults.join(', ')}</span> <span class="muted">(the reference device was started with these deliberate faults)</span>`)}
</table></div>
<div class="card"><h2>Identity read from the target</h2>
${identities.length > 0 ? identities.map(identityTable) : html`<p class="problem">The target's identity could not be read${report.notes.length > 0 ? ' (see the notes above)' : ''}.</p>`}
</div>
</section>`;
}
