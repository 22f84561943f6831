// Cabine staff page: one cabin's day of appointments; book, move, cancel, see who came;
// the cabins' state (online, printer) and a patient calling the staff, answered here.
// Uses the booking API with the portal login's cookie: a staff account (only its own
// cabins are listed; the portal refuses the others) or a doctor (every cabin). Names and
// birth dates typed here go to the portal once, which keeps only their keyed hash.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  cabins: [], day: null, errors: 0, who: null, timer: null,
  pollTimer: null, answered: new Set(), title: document.title,
};
const STATUS = {
  booked: "réservé", checked_in: "arrivé", cancelled: "annulé", no_show: "absent",
};
const POLL_MS = 3000;
// the cabin's heartbeat: the printer's state, and CUPS's reason when it is not printing
const PRINTER = {
  idle: "prête", printing: "en cours d'impression", stopped: "arrêtée", missing: "absente",
  unknown: "état inconnu",
};
const PRINTER_REASON = {
  paper_out: "plus de papier", paper_jam: "bourrage", stopped: "arrêtée", offline: "hors ligne",
  no_such_queue: "introuvable", cups_unavailable: "le service d'impression ne répond pas",
  not_accepting: "refuse les impressions", job_aborted: "impression interrompue",
  job_canceled: "impression annulée", document_rejected: "document refusé",
  timeout: "trop lente", bad_file: "document illisible",
};

async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    state.errors += 1;
    const error = new Error(data.message || `HTTP ${response.status}`);
    error.status = response.status; error.code = data.error || "";
    throw error;
  }
  return data;
}

function banner(text) {
  $("banner").textContent = text;
  $("banner").hidden = !text;
}

function cell(tr, text) {
  const td = document.createElement("td");
  td.textContent = text;
  tr.append(td);
  return td;
}

function hhmm(iso) { return iso.slice(11, 16); }

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button"; b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

async function load() {
  const cabin = $("cabin").value, day = $("day").value;
  if (!cabin || !day) return;
  const data = await api("GET", `/api/appointments?cabin_id=${encodeURIComponent(cabin)}&day=${day}`);
  state.day = data;
  banner(data.sms_failed ? `${data.sms_failed} SMS non envoyé(s) : prévenez les patients.` : "");
  const body = $("slots").querySelector("tbody");
  body.replaceChildren();
  const active = new Map();
  for (const a of data.appointments) {
    if (a.status === "booked" || a.status === "checked_in") active.set(hhmm(a.slot_start), a);
  }
  const free = [];
  for (const slot of data.slots) {
    const a = active.get(hhmm(slot));
    const tr = document.createElement("tr");
    tr.dataset.slot = hhmm(slot);
    cell(tr, hhmm(slot));
    if (!a) {
      free.push(slot);
      tr.dataset.state = "free";
      cell(tr, "libre"); cell(tr, ""); cell(tr, ""); cell(tr, ""); cell(tr, "");
    } else {
      tr.dataset.state = a.status; tr.dataset.id = a.id;
      cell(tr, STATUS[a.status] || a.status);
      cell(tr, a.code);
      cell(tr, a.phone);
      cell(tr, a.sms.map((s) => `${s.kind}: ${s.delivered ? "reçu" : s.status}`).join(", "));
      const actions = cell(tr, "");
      if (a.status === "booked") {
        actions.append(button("Déplacer", () => move(a)), button("Annuler", () => cancel(a)));
      }
    }
    body.append(tr);
  }
  const select = $("book-slot");
  select.replaceChildren();
  for (const slot of free) {
    const option = document.createElement("option");
    option.value = slot; option.textContent = hhmm(slot);
    select.append(option);
  }
}

async function move(a) {
  const to = window.prompt("Nouvelle heure (HH:MM)", hhmm(a.slot_start));
  if (!to) return;
  const target = state.day.slots.find((s) => hhmm(s) === to);
  try {
    if (!target) throw new Error("pas un créneau de ce jour");
    await api("PATCH", `/api/appointments/${encodeURIComponent(a.id)}`, { slot_start: target });
  } catch (error) { banner(`Déplacement refusé : ${error.message}`); }
  await load();
}

async function cancel(a) {
  if (!window.confirm(`Annuler le rendez-vous de ${hhmm(a.slot_start)} ?`)) return;
  try {
    await api("DELETE", `/api/appointments/${encodeURIComponent(a.id)}`);
  } catch (error) { banner(`Annulation refusée : ${error.message}`); }
  await load();
}

async function book(event) {
  event.preventDefault();
  $("book-error").hidden = true;
  const random = new Uint8Array(8);
  crypto.getRandomValues(random);
  const id = "staff-" + Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  try {
    await api("POST", "/api/appointments", {
      id, cabin_id: $("cabin").value, slot_start: $("book-slot").value,
      last_name: $("book-last").value, first_name: $("book-first").value,
      birth_date: $("book-birth").value, phone: $("book-phone").value, lang: $("book-lang").value,
    });
    $("book").reset();
  } catch (error) {
    $("book-error").textContent = error.message;
    $("book-error").hidden = false;
  }
  await load();
}

// ---- the cabins' state and their staff calls (polled while the page is open) ---------------

function printerText(c) {
  if (!c.printer) return "pas de nouvelles";
  const word = PRINTER[c.printer] || c.printer;
  const reason = c.printer_detail ? PRINTER_REASON[c.printer_detail] || c.printer_detail : "";
  return reason && reason !== word ? `${word} (${reason})` : word;
}

function since(seconds) {
  const minutes = Math.floor(seconds / 60);
  return minutes < 1 ? "depuis moins d'1 min" : `depuis ${minutes} min`;
}

function myName() { return state.who ? state.who.name || state.who.login : ""; }

function renderStates(cabins) {
  const body = $("cabin-table").querySelector("tbody");
  body.replaceChildren();
  for (const c of cabins) {
    const tr = document.createElement("tr");
    tr.dataset.cabin = c.cabin_id;
    cell(tr, c.name || c.cabin_id);
    cell(tr, c.online ? "en ligne" : "hors ligne").className = c.online ? "online-yes" : "online-no";
    const printer = cell(tr, printerText(c));
    if (c.printer && c.printer !== "idle" && c.printer !== "printing") printer.className = "online-no";
    body.append(tr);
  }
  $("cabin-states").hidden = cabins.length === 0;
}

// One alert per cabin calling, updated in place so a click is never lost to a redraw.
function renderCalls(cabins) {
  const box = $("calls");
  const calling = cabins.filter((c) => c.staff_call);
  const ids = new Set(calling.map((c) => c.cabin_id));
  for (const el of Array.from(box.children)) if (!ids.has(el.dataset.cabin)) el.remove();
  for (const id of state.answered) if (!ids.has(id)) state.answered.delete(id);
  const waiting = [];
  for (const c of calling) {
    let el = Array.from(box.children).find((e) => e.dataset.cabin === c.cabin_id);
    if (!el) {
      el = document.createElement("div");
      el.className = "staff-call"; el.dataset.cabin = c.cabin_id; el.setAttribute("role", "alert");
      const text = document.createElement("p"); text.className = "staff-call-text";
      const go = button("J'y vais", () => { answer(c.cabin_id, go).catch((e) => banner(e.message)); });
      go.className = "staff-call-go";
      const answered = document.createElement("p"); answered.className = "staff-call-answer";
      el.append(text, go, answered);
      box.append(el);
    }
    const name = c.name || c.cabin_id;
    const coming = c.staff_call.coming;
    const mine = state.answered.has(c.cabin_id) || (coming && coming === myName());
    el.dataset.state = coming ? "coming" : "calling";
    el.dataset.told = c.online ? "yes" : "no";
    el.querySelector(".staff-call-text").textContent =
      `La cabine ${name} appelle le personnel — ${since(c.staff_call.since_s)}`;
    el.querySelector(".staff-call-go").hidden = Boolean(coming);
    // an offline cabin hears the answer when it is back: go anyway, the patient may not know
    const untold = c.online ? "" : " — cabine hors ligne : le patient sera prévenu à son retour";
    el.querySelector(".staff-call-answer").textContent = !coming ? ""
      : (mine ? "Vous avez répondu : en route" : `${coming} est en route`) + untold;
    if (!coming) waiting.push(name);
  }
  box.hidden = calling.length === 0;
  // a background tab shows the call in its title
  document.title = waiting.length ? `⚠ Appel du personnel : ${waiting.join(", ")} — ${state.title}` : state.title;
}

async function answer(cabinId, go) {
  go.disabled = true;
  try {
    await api("POST", `/api/staff/cabins/${encodeURIComponent(cabinId)}/coming`);
    state.answered.add(cabinId);
  } catch (error) {
    banner(error.code === "no_call" ? "Cette cabine n'appelle plus." : `Réponse non transmise : ${error.message}`);
  } finally {
    go.disabled = false;
  }
  await poll();
}

function showCabins(cabins) {
  renderStates(cabins);
  renderCalls(cabins);
  $("states-stale").hidden = true;
}

async function poll() {
  try {
    const data = await api("GET", "/api/staff/cabins");
    showCabins(data.cabins);
  } catch (error) {
    if (error.status === 401) { window.location.reload(); return; }
    $("states-stale").hidden = false;
  }
}

async function login(event) {
  event.preventDefault();
  $("staff-login-error").textContent = "";
  const r = await fetch("/api/login", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("staff-username").value, password: $("staff-password").value }),
  });
  $("staff-password").value = "";
  if (r.status === 200) { await enter(); return; }
  $("staff-login-error").textContent = r.status === 429
    ? "Trop d'essais : réessayez plus tard." : "Identifiant ou mot de passe incorrect.";
}

async function logout() {
  clearInterval(state.timer);
  clearInterval(state.pollTimer);
  state.timer = null; state.pollTimer = null;
  await fetch("/api/logout", { method: "POST", credentials: "same-origin" });
  window.location.reload();
}

// The logged-in account's cabins, or the login form.
async function enter() {
  let cabins;
  try {
    cabins = await api("GET", "/api/staff/cabins");
  } catch (error) {
    $("login-needed").hidden = false;
    return;
  }
  $("login-needed").hidden = true;
  state.who = cabins.who || null;
  state.cabins = cabins.cabins;
  $("who").textContent = state.who ? state.who.name || state.who.login : "";
  $("logout").hidden = false;
  // a staff account has no doctor's page
  $("doctor-link").hidden = !state.who || state.who.role !== "doctor";
  $("cabin").replaceChildren();
  // appointments only where the cabin has opening hours; every cabin's calls and state
  const booked = state.cabins.filter((c) => c.appointments !== false);
  for (const c of booked) {
    const option = document.createElement("option");
    option.value = c.cabin_id; option.textContent = c.name || c.cabin_id;
    $("cabin").append(option);
  }
  showCabins(state.cabins);
  if (state.pollTimer === null) state.pollTimer = setInterval(() => { poll().catch(() => {}); }, POLL_MS);
  if (!state.cabins.length) { $("no-cabin").hidden = false; return; }
  if (!booked.length) return;  // walk-in cabins only: no day of appointments to show
  $("day").value = cabins.today;
  $("staff-view").hidden = false;
  await load();
  if (state.timer === null) state.timer = setInterval(() => { load().catch(() => {}); }, 15000);
}

async function start() {
  $("cabin").addEventListener("change", load);
  $("day").addEventListener("change", load);
  $("book").addEventListener("submit", book);
  $("staff-login").addEventListener("submit", (event) => {
    login(event).catch((e) => { $("staff-login-error").textContent = e.message; });
  });
  $("logout").addEventListener("click", () => { logout().catch((e) => banner(e.message)); });
  await enter();
}

window.cabineStaff = { state, load, poll };
document.addEventListener("DOMContentLoaded", () => { start().catch((e) => banner(e.message)); });
