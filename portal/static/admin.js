// Cabine admin page: the portal's accounts in its database (doctors, staff, administrators,
// cabins): list them, add one, disable or enable it, give it a new password or cabin token.
// A new secret is shown once, here, and never again. In French or English (the choice shared
// with the other pages, kept in localStorage). Uses /api/admin/* with an admin's login cookie.
"use strict";

const TEXT = {
  fr: {
    title: "Cabine — comptes", logout: "Se déconnecter", login_title: "Connexion",
    login_who: "Identifiant d'un administrateur du portail.", username: "Identifiant",
    password: "Mot de passe", login: "Se connecter",
    login_failed: "Identifiant ou mot de passe incorrect.", login_locked: "Trop d'essais : réessayez plus tard.",
    not_admin: "Cet identifiant n'est pas celui d'un administrateur : connectez-vous avec un compte administrateur.",
    accounts: "Comptes", show: "Afficher", k_all: "tous les comptes", k_doctors: "médecins",
    k_staffs: "personnel", k_admins: "administrateurs", k_cabins: "cabines",
    k_doctor: "médecin", k_staff: "personnel", k_admin: "administrateur", k_cabin: "cabine",
    kind: "Type", login_col: "Identifiant", name: "Nom", state: "État", details: "Détails",
    updated: "Modifié", actions: "Actions", enabled: "actif", disabled: "désactivé",
    disable: "Désactiver", enable: "Réactiver", reset_password: "Nouveau mot de passe",
    reset_token: "Nouveau jeton", none: "Aucun compte de ce type.",
    cabins_all: "toutes les cabines", cabins_of: "cabines : {list}", rpps_of: "RPPS {rpps}",
    new_account: "Nouveau compte", cabins_field: "Cabines gérées (identifiants séparés par des virgules, ou *)",
    rpps: "RPPS (11 chiffres)", specialty: "Spécialité", add: "Créer le compte",
    psc_only: "Connexion par Pro Santé Connect seulement (pas de mot de passe)", psc_only_short: "Pro Santé Connect seulement",
    secret_once: "Notez-le maintenant et transmettez-le à son titulaire : il ne sera plus jamais affiché.",
    secret_done: "C'est noté", secret_password: "Mot de passe de {login}", secret_token: "Jeton de la cabine {login}",
    keep: "Ne rien changer",
    disable_title: "Désactiver {login} ?",
    disable_what_cabin: "La cabine est déconnectée dans les secondes qui suivent et ne peut plus se connecter.",
    disable_what_doctor: "Le médecin est déconnecté dans les secondes qui suivent et ne peut plus se connecter.",
    disable_what: "Ce compte ne peut plus se connecter.",
    reset_title: "Nouveau secret pour {login} ?",
    reset_what_cabin: "L'ancien jeton ne marche plus : la cabine est déconnectée jusqu'à ce qu'on y installe le nouveau.",
    reset_what: "L'ancien mot de passe ne marche plus ; le nouveau s'affiche une seule fois.",
    added_ok: "Compte {login} créé.", disabled_ok: "{login} désactivé.", enabled_ok: "{login} réactivé.",
    reset_ok: "Nouveau secret de {login} affiché ci-dessus.",
    e_login: "Identifiant non valable : 1 à 64 lettres sans accent, chiffres, « . _ @ - » (cabine : « _ - »).",
    e_name: "Nom : à remplir (200 caractères au plus).",
    e_cabins: "Cabines : indiquez des identifiants de cabines existantes, ou * seul pour toutes.",
    e_rpps: "RPPS : 11 chiffres.", e_details: "Détails : 200 caractères au plus chacun.", e_kind: "Choisissez un type de compte.",
    e_exists: "Cet identifiant est déjà pris.", e_self: "Vous ne pouvez pas désactiver votre propre compte.",
    e_not_found: "Ce compte n'existe plus : la liste est mise à jour.",
    e_login_needed: "Session terminée : reconnectez-vous.",
    e_network: "Portail injoignable : vérifiez la connexion, puis réessayez.",
    e_other: "Demande refusée par le portail ({code}) : rechargez la page, puis réessayez.",
  },
  en: {
    title: "Cabine — accounts", logout: "Log out", login_title: "Log in",
    login_who: "A login of an administrator of the portal.", username: "Login",
    password: "Password", login: "Log in",
    login_failed: "Wrong login or password.", login_locked: "Too many attempts: try again later.",
    not_admin: "This login is not an administrator's: log in with an administrator's account.",
    accounts: "Accounts", show: "Show", k_all: "every account", k_doctors: "doctors",
    k_staffs: "staff", k_admins: "administrators", k_cabins: "cabins",
    k_doctor: "doctor", k_staff: "staff", k_admin: "administrator", k_cabin: "cabin",
    kind: "Kind", login_col: "Login", name: "Name", state: "State", details: "Details",
    updated: "Changed", actions: "Actions", enabled: "enabled", disabled: "disabled",
    disable: "Disable", enable: "Enable", reset_password: "New password",
    reset_token: "New token", none: "No account of this kind.",
    cabins_all: "every cabin", cabins_of: "cabins: {list}", rpps_of: "RPPS {rpps}",
    new_account: "New account", cabins_field: "Cabins managed (ids separated by commas, or *)",
    rpps: "RPPS (11 digits)", specialty: "Specialty", add: "Create the account",
    psc_only: "Sign-in with Pro Santé Connect only (no password)", psc_only_short: "Pro Santé Connect only",
    secret_once: "Write it down now and hand it to its holder: it will never be shown again.",
    secret_done: "Noted", secret_password: "Password of {login}", secret_token: "Token of cabin {login}",
    keep: "Change nothing",
    disable_title: "Disable {login}?",
    disable_what_cabin: "The cabin is disconnected within seconds and can no longer connect.",
    disable_what_doctor: "The doctor is disconnected within seconds and can no longer log in.",
    disable_what: "This account can no longer log in.",
    reset_title: "A new secret for {login}?",
    reset_what_cabin: "The old token stops working: the cabin is disconnected until the new one is installed on it.",
    reset_what: "The old password stops working; the new one is shown once.",
    added_ok: "Account {login} created.", disabled_ok: "{login} disabled.", enabled_ok: "{login} enabled.",
    reset_ok: "New secret of {login} shown above.",
    e_login: "Login not valid: 1 to 64 unaccented letters, digits, \". _ @ -\" (a cabin: \"_ -\").",
    e_name: "Name: required (200 characters at most).",
    e_cabins: "Cabins: give ids of existing cabins, or * alone for all.",
    e_rpps: "RPPS: 11 digits.", e_details: "Details: 200 characters at most each.", e_kind: "Choose a kind of account.",
    e_exists: "This login is taken.", e_self: "You cannot disable your own account.",
    e_not_found: "This account no longer exists: the list is updated.",
    e_login_needed: "Session ended: log in again.",
    e_network: "Portal unreachable: check the connection, then try again.",
    e_other: "Request refused by the portal ({code}): reload the page, then try again.",
  },
};

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem("cabine-lang") || (navigator.language || "fr").slice(0, 2);
if (!TEXT[lang]) lang = "fr";
const t = (key) => (TEXT[lang][key] ?? TEXT.fr[key] ?? key);
function tf(key, params = {}) {
  return t(key).replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? "" : String(params[name])));
}

const state = { me: "", accounts: [], pending: null, opener: null };


// An API error in the page's language: a refused value by its field (the English message
// starts with it: "rpps: 11 digits"), the rest by the error's code.
function explain(error) {
  let code = error.code || "";
  if (code === "bad_account") code = (error.message || "").split(":")[0].split(" ")[0];
  if (code === "login" && error.status === 401) code = "login_needed";
  return TEXT.fr[`e_${code}`] ? t(`e_${code}`) : tf("e_other", { code: code || "?" });
}

// A line kept as its key and parameters (or its error), said again on a language switch.
function say(el, key, params) {
  delete el.dataset.error;
  if (!key) { delete el.dataset.say; el.textContent = ""; return; }
  el.dataset.say = JSON.stringify([key, params || {}]);
  el.textContent = tf(key, params);
}
function sayError(el, error) {
  if (!error) { say(el, ""); return; }
  if (error.message && error.code !== "network") console.warn("admin page:", error.code, error.message);
  delete el.dataset.say;
  el.dataset.error = JSON.stringify({ code: error.code || "", message: error.message || "", status: error.status || 0 });
  el.textContent = explain(error);
}
function banner(error) { sayError($("banner"), error); $("banner").hidden = !error; }
function notice(key, params) { say($("notice"), key, params); }

// ---- the list --------------------------------------------------------------------------

async function load() {
  const data = await api("GET", "/api/admin/accounts");
  state.me = data.me; state.accounts = data.accounts;
  render();
}

function cell(tr, text) {
  const td = document.createElement("td");
  td.textContent = text;
  tr.append(td);
  return td;
}

function button(label, aria, onClick) {
  const b = document.createElement("button");
  b.type = "button"; b.textContent = label; b.setAttribute("aria-label", aria);
  b.addEventListener("click", onClick);
  return b;
}

function detailsOf(a) {
  if (a.kind === "staff") {
    const cabins = a.details.cabins || [];
    return cabins.length === 1 && cabins[0] === "*" ? t("cabins_all") : tf("cabins_of", { list: cabins.join(", ") });
  }
  if (a.kind === "doctor") {
    return [a.details.specialty, a.details.rpps ? tf("rpps_of", { rpps: a.details.rpps }) : "",
      a.psc_only ? t("psc_only_short") : ""].filter(Boolean).join(" — ");
  }
  return "";
}

function when(epoch) {
  return new Date(epoch * 1000).toLocaleString(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "short", timeStyle: "short" });
}

function render() {
  const kind = $("kind-filter").value;
  const body = $("accounts").querySelector("tbody");
  body.replaceChildren();
  const shown = state.accounts.filter((a) => !kind || a.kind === kind);
  for (const a of shown) {
    const tr = document.createElement("tr");
    tr.dataset.kind = a.kind; tr.dataset.login = a.login; tr.dataset.enabled = String(a.enabled);
    cell(tr, t(`k_${a.kind}`));
    cell(tr, a.login);
    cell(tr, a.name);
    cell(tr, a.enabled ? t("enabled") : t("disabled")).className = a.enabled ? "" : "error";
    cell(tr, detailsOf(a));
    cell(tr, when(a.updated_at));
    const actions = cell(tr, "");
    const toggle = a.enabled ? "disable" : "enable";
    const tb = button(t(toggle), `${t(toggle)} ${a.login}`, () => (toggle === "disable" ? ask("disable", a, tb) : act("enable", a).catch((e) => banner(e))));
    tb.className = toggle;
    const resetLabel = t(a.kind === "cabin" ? "reset_token" : "reset_password");
    const rb = button(resetLabel, `${resetLabel} ${a.login}`, () => ask("reset", a, rb));
    rb.className = "reset";
    if (a.kind === "admin" && a.login === state.me) tb.disabled = true;
    actions.append(tb, " ", rb);
    body.append(tr);
  }
  if (!shown.length) {
    const tr = document.createElement("tr");
    const td = cell(tr, t("none")); td.colSpan = 7;
    body.append(tr);
  }
}

// ---- actions -----------------------------------------------------------------------------

function ask(action, account, opener) {
  state.pending = { action, account }; state.opener = opener;
  say($("confirm-title"), `${action}_title`, { login: account.login });
  let what = action === "reset" ? (account.kind === "cabin" ? "reset_what_cabin" : "reset_what") : "disable_what";
  if (action === "disable" && (account.kind === "cabin" || account.kind === "doctor")) what = `disable_what_${account.kind}`;
  say($("confirm-what"), what);
  say($("confirm-go"), action === "reset" ? (account.kind === "cabin" ? "reset_token" : "reset_password") : "disable");
  say($("confirm-error"), "");
  $("confirm-dialog").showModal();
  $("confirm-keep").focus();
}

async function confirm() {
  const { action, account } = state.pending;
  await act(action, account);
}

// Disable, enable or reset; the dialog (if open) closes first, so the focus can go on: to
// the new secret, or back to the account's row.
async function act(action, account) {
  banner(null);
  const path = `/api/admin/accounts/${encodeURIComponent(account.kind)}/${encodeURIComponent(account.login)}/${action}`;
  const data = await api("POST", path, {});
  if ($("confirm-dialog").open) $("confirm-dialog").close();
  await load();
  if (action === "reset") {
    showSecret(account, data.secret);
    notice("reset_ok", { login: account.login });
    return;
  }
  notice(`${action}d_ok`, { login: account.login });
  for (const tr of $("accounts").querySelectorAll("tbody tr")) {
    if (tr.dataset.kind === account.kind && tr.dataset.login === account.login) {
      tr.querySelector("button.enable, button.disable").focus();
    }
  }
}

function showSecret(account, secret) {
  say($("secret-title"), account.kind === "cabin" ? "secret_token" : "secret_password", { login: account.login });
  $("secret-value").textContent = secret;
  $("secret-box").hidden = false;
  $("secret-box").focus();
}

async function add(event) {
  event.preventDefault();
  say($("add-error"), "");
  const kind = $("add-kind").value;
  const body = { kind, login: $("add-login").value.trim(), name: $("add-name").value.trim() };
  if (kind === "staff") body.cabins = $("add-cabins").value;
  if (kind === "doctor") {
    body.details = { rpps: $("add-rpps").value.trim(), specialty: $("add-specialty").value.trim() };
    body.psc_only = $("add-psc-only").checked;
  }
  let data;
  try {
    data = await api("POST", "/api/admin/accounts", body);
  } catch (error) {
    if (error.status === 401) { window.location.reload(); return; }
    sayError($("add-error"), error);
    return;
  }
  for (const id of ["add-login", "add-name", "add-cabins", "add-rpps", "add-specialty"]) $(id).value = "";
  $("add-psc-only").checked = false;
  showSecret(data.account, data.secret);
  notice("added_ok", { login: data.account.login });
  await load();
}

function kindFields() {
  const kind = $("add-kind").value;
  for (const el of document.querySelectorAll("[data-for-kind]")) el.hidden = el.dataset.forKind !== kind;
}

// ---- language, login -----------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-say]")) {
    const [key, params] = JSON.parse(el.dataset.say);
    el.textContent = tf(key, params);
  }
  for (const el of document.querySelectorAll("[data-error]")) el.textContent = explain(JSON.parse(el.dataset.error));
  for (const b of document.querySelectorAll("button.lang")) b.setAttribute("aria-current", String(b.dataset.lang === lang));
  document.title = t("title");
  render();
}

async function login(event) {
  event.preventDefault();
  say($("admin-login-error"), "");
  const r = await fetch("/api/login", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("admin-username").value, password: $("admin-password").value }),
  });
  $("admin-password").value = "";
  if (r.status === 200) { await enter(); return; }
  say($("admin-login-error"), r.status === 429 ? "login_locked" : "login_failed");
}

async function logout() {
  await fetch("/api/logout", { method: "POST", credentials: "same-origin" });
  window.location.reload();
}

async function enter() {
  try {
    await load();
  } catch (error) {
    $("login-needed").hidden = false;
    if (error.status === 403) say($("admin-login-error"), "not_admin");
    return;
  }
  $("login-needed").hidden = true;
  $("who").textContent = state.me;
  $("logout").hidden = false;
  $("admin-view").hidden = false;
}

async function start() {
  applyLanguage();
  kindFields();
  for (const b of document.querySelectorAll("button.lang")) {
    b.addEventListener("click", () => { lang = b.dataset.lang; localStorage.setItem("cabine-lang", lang); applyLanguage(); });
  }
  $("kind-filter").addEventListener("change", render);
  $("pick").addEventListener("submit", (event) => event.preventDefault());
  $("add-kind").addEventListener("change", kindFields);
  $("add").addEventListener("submit", (event) => { add(event).catch((e) => banner(e)); });
  $("confirm-go").addEventListener("click", () => { confirm().catch((e) => sayError($("confirm-error"), e)); });
  $("confirm-keep").addEventListener("click", () => $("confirm-dialog").close());
  $("confirm-dialog").addEventListener("close", () => { if (state.opener && state.opener.isConnected) state.opener.focus(); });
  $("secret-done").addEventListener("click", () => {
    $("secret-value").textContent = ""; $("secret-box").hidden = true; $("add-login").focus();
  });
  $("admin-login").addEventListener("submit", (event) => { login(event).catch(() => say($("admin-login-error"), "e_network")); });
  $("logout").addEventListener("click", () => { logout().catch((e) => banner(e)); });
  await enter();
}

window.cabineAdmin = { state, load, applyLanguage };
document.addEventListener("DOMContentLoaded", () => { start().catch((e) => banner(e)); });
