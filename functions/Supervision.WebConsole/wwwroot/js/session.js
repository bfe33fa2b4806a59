// Who is signed in: the bearer token is kept in this tab's session storage (never local storage), and sent
// to the API as machine clients send theirs. Locally the development sign-in page gets it; in Azure, MSAL
// signs the person in with Entra ID (authorisation code with PKCE) and keeps its cache in session storage too.
const tokenKey = 'supervision.token';
const usccKey = 'supervision.uscc';
let config = null;
let msalApp = null;

export async function loadConfig() {
  if (!config) {
    const response = await fetch('/console/config.json', { headers: { Accept: 'application/json' } });
    config = response.ok ? await response.json() : { mode: 'none' };
  }
  return config;
}

/** The token's claims (for what the page shows and links to only: the API checks every call itself). */
export function claims(token = sessionStorage.getItem(tokenKey)) {
  if (!token) return null;
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
    const payload = JSON.parse(json);
    if (payload.exp && payload.exp * 1000 < Date.now()) return null;
    return payload;
  } catch {
    return null;
  }
}

/** The signed-in person: subject, app roles, the departments of their staff roles, and the enterprise they act for. */
export function who() {
  const payload = claims();
  if (!payload) return null;
  const roles = Array.isArray(payload.roles) ? payload.roles : (payload.roles ? [payload.roles] : []);
  const staff = roles.map((r) => /^(.+)\.(reviewer|supervisor)$/.exec(r)).filter(Boolean);
  return {
    subject: payload.oid ?? payload.sub,
    name: payload.name ?? payload.preferred_username ?? payload.oid ?? payload.sub,
    roles,
    departments: [...new Set(staff.map((m) => m[1]))],
    staffRoles: staff.map((m) => ({ department: m[1], role: m[2] })),
    isCaseOwner: roles.includes('market-regulator.case-owner'),
    isOperator: roles.includes('operator'),
    isAuditor: roles.includes('auditor'),
    uscc: sessionStorage.getItem(usccKey),
    isEnterprise: roles.length === 0,
  };
}

export function token() {
  return claims() ? sessionStorage.getItem(tokenKey) : null;
}

export function keep(newToken, uscc = null) {
  sessionStorage.setItem(tokenKey, newToken);
  if (uscc) sessionStorage.setItem(usccKey, uscc); else sessionStorage.removeItem(usccKey);
}

/** Gets a token: from MSAL's redirect or cache in Azure; otherwise sends the person to sign in. */
export async function ensureSignedIn() {
  if (token()) return true;
  const settings = await loadConfig();
  if (settings.mode === 'entra') return entraSignIn(settings);
  if (settings.mode === 'development') {
    location.assign('/console/signin.html');
    return false;
  }
  return false;
}

export async function signOut() {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(usccKey);
  const settings = await loadConfig();
  if (settings.mode === 'entra' && msalApp) {
    await msalApp.logoutRedirect({ postLogoutRedirectUri: location.origin + '/console/' });
    return;
  }
  location.assign(settings.mode === 'development' ? '/console/signin.html' : '/console/');
}

async function entraSignIn(settings) {
  await loadScript('/console/lib/msal-browser.min.js');
  msalApp = new window.msal.PublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: location.origin + '/console/' },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await msalApp.initialize();
  const redirect = await msalApp.handleRedirectPromise();
  const account = redirect?.account ?? msalApp.getAllAccounts()[0];
  if (!account) {
    await msalApp.loginRedirect({ scopes: settings.scopes });
    return false;
  }
  const result = await msalApp.acquireTokenSilent({ account, scopes: settings.scopes })
    .catch(() => msalApp.acquireTokenRedirect({ account, scopes: settings.scopes }));
  if (!result?.accessToken) return false;
  keep(result.accessToken);
  return true;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(script);
  });
}
