// The local host's development sign-in: the key from the banner's link (#key=…) or typed, an audience
// picked from what the host offers, and a token from its local issuer kept in this tab's session storage.
import { keep } from './session.js';

const form = document.getElementById('signin');
const role = document.getElementById('role');
const uscc = document.getElementById('uscc');
const error = document.getElementById('error');

const departmentNames = {
  customs: '海关 Customs', tax: '税务 Tax', 'inspection-quarantine': '检验检疫 Inspection and quarantine',
  procurement: '政府采购 Procurement', 'market-regulator': '市场监管 Market regulator',
};
const roleNames = {
  'market-regulator.case-owner': '案件负责人 Case owner', operator: '运维人员 Operator', auditor: '审计人员 Auditor',
};

function option(value, text) {
  const node = document.createElement('option');
  node.value = value;
  node.textContent = text;
  return node;
}

async function offer() {
  const key = new URLSearchParams(location.hash.slice(1)).get('key');
  if (key) document.getElementById('key').value = key;
  const response = await fetch('/console/dev/audiences');
  if (!response.ok) {
    error.textContent = '开发登录未开启 Development sign-in is off';
    return;
  }
  const audiences = await response.json();
  for (const department of audiences.departments) {
    const name = departmentNames[department] ?? department;
    role.append(option(`${department}.reviewer`, `${name} · 审查员 reviewer`));
    role.append(option(`${department}.supervisor`, `${name} · 主管 supervisor`));
  }
  for (const named of audiences.roles) role.append(option(named, roleNames[named] ?? named));
  role.append(option('enterprise', '企业 Enterprise'));
  const list = document.getElementById('enterprises');
  for (const enterprise of audiences.enterprises) list.append(option(enterprise.uscc, enterprise.name));
  if (audiences.enterprises[0]) uscc.value = audiences.enterprises[0].uscc;
}

role.addEventListener('change', () => {
  uscc.disabled = role.value !== 'enterprise';
  uscc.required = role.value === 'enterprise';
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const enterprise = role.value === 'enterprise';
  const body = { key: form.key.value, role: enterprise ? null : role.value, uscc: enterprise ? uscc.value.trim() : null };
  const response = await fetch('/console/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    error.textContent = answer.title ?? `HTTP ${response.status}`;
    return;
  }
  keep(answer.token, enterprise ? body.uscc : null);
  location.assign('/console/');
});

offer();
