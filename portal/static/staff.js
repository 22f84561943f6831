// Cabine staff page: one cabin's day of appointments; book, move, cancel, find one by its
// code or phone, see who came; the cabins' state (online, printer) and a patient calling the
// staff, answered here. In French or English (the doctor's page's choice, kept in
// localStorage). Uses the booking API with the portal login's cookie: a staff account (only
// its own cabins are listed; the portal refuses the others) or a doctor (every cabin). Names
// and birth dates typed here go to the portal once, which keeps only their keyed hash.
"use strict";

const TEXT = {
  fr: {
    title: "Cabine — rendez-vous", doctor_link: "Portail médecin", logout: "Se déconnecter",
    login_title: "Connexion", login_who: "Identifiant du personnel de la cabine, ou d'un médecin du",
    login_portal: "portail", username: "Identifiant", password: "Mot de passe", login: "Se connecter",
    login_failed: "Identifiant ou mot de passe incorrect.", login_locked: "Trop d'essais : réessayez plus tard.",
    no_cabin: "Aucune cabine avec des horaires n'est gérée par cet identifiant.",
    cabins: "Cabines", cabin: "Cabine", connection: "Connexion", printer: "Imprimante",
    today_at: "aujourd'hui {where}",
    stale: "Portail injoignable : état non à jour, nouvel essai…",
    appointments: "Rendez-vous", day: "Jour", search: "Rechercher (code ou téléphone)",
    search_none: "Aucun rendez-vous ne correspond à cette recherche ce jour.",
    time: "Heure", state: "État", code: "Code", phone: "Téléphone", sms: "SMS", actions: "Actions",
    new_booking: "Nouveau rendez-vous", slot: "Créneau", no_slot: "Plus aucun créneau libre ce jour.",
    last_name: "Nom", first_name: "Prénom", birth_date: "Date de naissance",
    mobile: "Téléphone portable", sms_lang: "Langue des SMS", lang: "Langue des SMS", book: "Réserver",
    booked_ok: "Rendez-vous réservé à {time} : le patient reçoit son code par SMS.",
    move: "Déplacer", cancel: "Annuler",
    move_title: "Déplacer le rendez-vous", move_to: "Nouvelle heure", move_keep: "Garder cette heure",
    move_confirm: "Déplacer le rendez-vous", move_what: "Rendez-vous de {time}, code {code}.",
    moved_ok: "Rendez-vous déplacé à {time} : le patient est prévenu par SMS.",
    cancel_title: "Annuler le rendez-vous ?", cancel_keep: "Garder le rendez-vous",
    cancel_confirm: "Annuler le rendez-vous",
    cancel_what: "Rendez-vous de {time}, code {code}. Le patient est prévenu par SMS.",
    cancelled_ok: "Rendez-vous de {time} annulé.",
    sms_failed: "{n} SMS non envoyé(s) : prévenez les patients.",
    st_booked: "réservé", st_checked_in: "arrivé", st_cancelled: "annulé", st_no_show: "absent",
    st_free: "libre",
    sms_confirmation: "confirmation", sms_reminder: "rappel", sms_cancellation: "annulation",
    sms_pending: "à envoyer", sms_sent: "envoyé", sms_failed_one: "échec de l'envoi",
    sms_dropped: "non envoyé", sms_delivered: "reçu", sms_undelivered: "non remis",
    online: "en ligne", offline: "hors ligne", no_news: "pas de nouvelles",
    pr_idle: "prête", pr_printing: "en cours d'impression", pr_stopped: "arrêtée", pr_missing: "absente",
    pr_unknown: "état inconnu",
    why_paper_out: "plus de papier", why_paper_jam: "bourrage", why_stopped: "arrêtée",
    why_offline: "hors ligne", why_no_such_queue: "introuvable",
    why_cups_unavailable: "le service d'impression ne répond pas",
    why_not_accepting: "refuse les impressions", why_job_aborted: "impression interrompue",
    why_job_canceled: "impression annulée", why_document_rejected: "document refusé",
    why_timeout: "trop lente", why_bad_file: "document illisible",
    call_text: "La cabine {name} appelle le personnel — {since}", call_go: "J'y vais",
    since_now: "depuis moins d'1 min", since_min: "depuis {m} min",
    call_mine: "Vous avez répondu : en route", call_other: "{who} est en route",
    call_untold: " — cabine hors ligne : le patient sera prévenu à son retour",
    call_title: "⚠ Appel du personnel : {names} — {title}", no_call: "Cette cabine n'appelle plus.",
    answer_failed: "Réponse non transmise : {why}",
    papers: "Papiers", papers_none: "—",
    papers_waiting: "{n} document(s) en attente depuis {time}", reprint: "Réimprimer maintenant",
    reprint_sent: "Réimpression demandée…", reprint_printed: "Papiers imprimés",
    reprint_failed: "Réimpression impossible ({why}) : les papiers restent conservés",
    reprint_offline: "Cabine hors ligne : réimpression non envoyée",
    no_papers: "Plus aucun papier n'attend à cette cabine.",
    // the portal's error codes, in the staff's words
    e_bad_phone: "Ce numéro n'est pas un numéro de portable valable (le code du rendez-vous est envoyé par SMS).",
    e_missing_field: "{field} : à remplir.", e_bad_field: "{field} : valeur non valable.",
    e_bad_identity: "Nom, prénom ou date de naissance non valable.",
    e_bad_slot: "Choisissez un créneau.", e_slot_taken: "Ce créneau vient d'être pris : choisissez-en un autre.",
    e_slot_in_past: "Ce créneau a commencé ou est passé : choisissez-en un autre.",
    e_outside_hours: "Cette heure n'est pas un créneau de la cabine.",
    e_not_movable: "Seul un rendez-vous réservé (pas encore arrivé) peut être déplacé.",
    e_not_found: "Ce rendez-vous n'existe plus (annulé ou effacé) : la liste est mise à jour.",
    e_cancelled: "Ce rendez-vous a été annulé.", e_id_reused: "Réservation en double : rechargez la page.",
    e_forbidden_cabin: "Cet identifiant ne gère pas cette cabine.",
    e_unauthorized: "Session terminée : reconnectez-vous.",
    e_unknown_cabin: "Cette cabine ne prend pas de rendez-vous.",
    e_unavailable: "Les rendez-vous sont indisponibles pour le moment : réessayez dans une minute.",
    e_busy: "Le portail est occupé : réessayez dans une minute.",
    e_rate_limited: "Trop d'essais : réessayez plus tard.",
    e_network: "Portail injoignable : vérifiez la connexion, puis réessayez.",
    e_other: "Demande refusée par le portail ({code}) : rechargez la page, puis réessayez.",
  },
  en: {
    title: "Cabine — appointments", doctor_link: "Doctor's portal", logout: "Log out",
    login_title: "Log in", login_who: "A login of the cabin's staff, or of a doctor of the",
    login_portal: "portal", username: "Login", password: "Password", login: "Log in",
    login_failed: "Wrong login or password.", login_locked: "Too many attempts: try again later.",
    no_cabin: "This login manages no cabin with opening hours.",
    cabins: "Cabins", cabin: "Cabin", connection: "Connection", printer: "Printer",
    today_at: "today {where}",
    stale: "Portal unreachable: state not up to date, trying again…",
    appointments: "Appointments", day: "Day", search: "Search (code or phone)",
    search_none: "No appointment this day matches this search.",
    time: "Time", state: "State", code: "Code", phone: "Phone", sms: "SMS", actions: "Actions",
    new_booking: "New appointment", slot: "Slot", no_slot: "No free slot left this day.",
    last_name: "Last name", first_name: "First name", birth_date: "Date of birth",
    mobile: "Mobile phone", sms_lang: "SMS language", lang: "SMS language", book: "Book",
    booked_ok: "Appointment booked at {time}: the patient gets the code by SMS.",
    move: "Move", cancel: "Cancel",
    move_title: "Move the appointment", move_to: "New time", move_keep: "Keep this time",
    move_confirm: "Move the appointment", move_what: "Appointment at {time}, code {code}.",
    moved_ok: "Appointment moved to {time}: the patient is told by SMS.",
    cancel_title: "Cancel the appointment?", cancel_keep: "Keep the appointment",
    cancel_confirm: "Cancel the appointment",
    cancel_what: "Appointment at {time}, code {code}. The patient is told by SMS.",
    cancelled_ok: "Appointment at {time} cancelled.",
    sms_failed: "{n} SMS not sent: tell the patients.",
    st_booked: "booked", st_checked_in: "arrived", st_cancelled: "cancelled", st_no_show: "no-show",
    st_free: "free",
    sms_confirmation: "confirmation", sms_reminder: "reminder", sms_cancellation: "cancellation",
    sms_pending: "to send", sms_sent: "sent", sms_failed_one: "sending failed",
    sms_dropped: "not sent", sms_delivered: "delivered", sms_undelivered: "not delivered",
    online: "online", offline: "offline", no_news: "no news",
    pr_idle: "ready", pr_printing: "printing", pr_stopped: "stopped", pr_missing: "missing",
    pr_unknown: "unknown state",
    why_paper_out: "out of paper", why_paper_jam: "paper jam", why_stopped: "stopped",
    why_offline: "offline", why_no_such_queue: "not found",
    why_cups_unavailable: "the print service does not answer",
    why_not_accepting: "refuses print jobs", why_job_aborted: "printing interrupted",
    why_job_canceled: "printing cancelled", why_document_rejected: "document refused",
    why_timeout: "too slow", why_bad_file: "unreadable document",
    call_text: "Cabin {name} is calling the staff — {since}", call_go: "I'm coming",
    since_now: "for under 1 min", since_min: "for {m} min",
    call_mine: "You answered: on your way", call_other: "{who} is on the way",
    call_untold: " — cabin offline: the patient is told when it is back",
    call_title: "⚠ Staff call: {names} — {title}", no_call: "This cabin is no longer calling.",
    answer_failed: "Answer not sent: {why}",
    papers: "Papers", papers_none: "—",
    papers_waiting: "{n} document(s) waiting since {time}", reprint: "Reprint now",
    reprint_sent: "Reprint asked…", reprint_printed: "Papers printed",
    reprint_failed: "Reprint failed ({why}): the papers are still kept",
    reprint_offline: "Cabin offline: reprint not sent",
    no_papers: "No papers are waiting at this cabin any more.",
    e_bad_phone: "This is not a valid mobile number (the appointment's code is sent by SMS).",
    e_missing_field: "{field}: required.", e_bad_field: "{field}: not a valid value.",
    e_bad_identity: "Last name, first name or date of birth not valid.",
    e_bad_slot: "Choose a slot.", e_slot_taken: "This slot has just been taken: choose another one.",
    e_slot_in_past: "This slot has begun or is past: choose another one.",
    e_outside_hours: "This time is not one of the cabin's slots.",
    e_not_movable: "Only a booked appointment (the patient not yet arrived) can be moved.",
    e_not_found: "This appointment no longer exists (cancelled or erased): the list is updated.",
    e_cancelled: "This appointment was cancelled.", e_id_reused: "Double booking: reload the page.",
    e_forbidden_cabin: "This login does not manage this cabin.",
    e_unauthorized: "Session ended: log in again.",
    e_unknown_cabin: "This cabin takes no appointments.",
    e_unavailable: "Appointments are unavailable for now: try again in a minute.",
    e_busy: "The portal is busy: try again in a minute.",
    e_rate_limited: "Too many attempts: try again later.",
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
const colon = () => (lang === "fr" ? " : " : ": ");

const state = {
  cabins: [], day: null, who: null, timer: null, pollTimer: null, answered: new Set(),
  lastCabins: [], moving: null, cancelling: null, opener: null,
};
const POLL_MS = 3000;

// An error of the portal's API: ``code`` its stable word (or "network"), ``field`` the one at fault.

// An API error in the page's language (the English detail goes to the console for support).
function explain(error) {
  const code = error.code || "";
  if (code === "missing_field" || code === "bad_field") {
    return tf(`e_${code}`, { field: TEXT.fr[error.field] ? t(error.field) : error.field });
  }
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
  if (error.message && error.code !== "network") console.warn("staff page:", error.code, error.message);
  delete el.dataset.say;
  el.dataset.error = JSON.stringify({ code: error.code || "", field: error.field || "" });
  el.textContent = explain(error);
}
function banner(error) {
  sayError($("banner"), error);
  $("banner").hidden = !error;
}
function notice(key, params) { say($("notice"), key, params); }

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

function smsText(s) {
  let word = `sms_${s.status === "failed" ? "failed_one" : s.status}`;
  if (s.delivered) word = "sms_delivered";
  else if (s.report === 2 || s.report === 16) word = "sms_undelivered";
  return `${t(`sms_${s.kind}`)}${colon()}${t(word)}`;
}

// ---- one cabin's day -------------------------------------------------------------------

async function load() {
  const cabin = $("cabin").value, day = $("day").value;
  if (!cabin || !day) return;
  const data = await api("GET", `/api/appointments?cabin_id=${encodeURIComponent(cabin)}&day=${day}`);
  state.day = data;
  renderDay();
}

function renderDay() {
  const data = state.day;
  if (!data) return;
  const warning = $("sms-warning");
  if (data.sms_failed) say(warning, "sms_failed", { n: data.sms_failed }); else say(warning, "");
  warning.hidden = !data.sms_failed;
  const body = $("slots").querySelector("tbody");
  body.replaceChildren();
  const active = new Map();
  for (const a of data.appointments) {
    if (a.status === "booked" || a.status === "checked_in") active.set(hhmm(a.slot_start), a);
  }
  const bookable = new Set((data.bookable || []).map(hhmm));
  for (const slot of data.slots) {
    const a = active.get(hhmm(slot));
    // a slot that has begun with nobody booked is of no use: not shown, never offered
    if (!a && !bookable.has(hhmm(slot))) continue;
    const tr = document.createElement("tr");
    tr.dataset.slot = hhmm(slot);
    cell(tr, hhmm(slot));
    if (!a) {
      tr.dataset.state = "free";
      cell(tr, t("st_free")); cell(tr, ""); cell(tr, ""); cell(tr, ""); cell(tr, "");
    } else {
      tr.dataset.state = a.status; tr.dataset.id = a.id;
      tr.dataset.code = a.code; tr.dataset.phone = a.phone;
      cell(tr, t(`st_${a.status}`));
      cell(tr, a.code).className = "code";
      cell(tr, a.phone);
      cell(tr, a.sms.map(smsText).join(", ")).className = "sms";
      const actions = cell(tr, "");
      if (a.status === "booked") {
        const moveButton = button(t("move"), () => openMove(a, moveButton));
        const cancelButton = button(t("cancel"), () => openCancel(a, cancelButton));
        moveButton.className = "move"; cancelButton.className = "cancel";
        moveButton.dataset.for = a.id; cancelButton.dataset.for = a.id;
        moveButton.setAttribute("aria-label", `${t("move")} ${hhmm(a.slot_start)}`);
        cancelButton.setAttribute("aria-label", `${t("cancel")} ${hhmm(a.slot_start)}`);
        actions.append(moveButton, " ", cancelButton);
      }
    }
    body.append(tr);
  }
  filter();
  fillSlots($("book-slot"), data.bookable || [], $("book-no-slot"));
}

// Only slots still bookable are offered; the choice made is kept across a refresh.
function fillSlots(select, slots, none) {
  const kept = select.value;
  select.replaceChildren();
  for (const slot of slots) {
    const option = document.createElement("option");
    option.value = slot; option.textContent = hhmm(slot);
    select.append(option);
  }
  if (slots.includes(kept)) select.value = kept;
  none.hidden = slots.length > 0;
  select.disabled = slots.length === 0;
}

// ---- search by booking code or phone (the day's list, in the page) -----------------------

function matches(tr, query) {
  const code = query.toUpperCase().replace(/[\s.-]/g, "");
  if (code && (tr.dataset.code || "").includes(code)) return true;
  // "06 12 34 56 78", "+33 6 12..." or "612345678": the digits after a leading 0
  const digits = query.replace(/\D/g, "").replace(/^0+/, "");
  return digits.length >= 3 && /^[\d\s.+()-]+$/.test(query)
    && (tr.dataset.phone || "").replace(/\D/g, "").includes(digits);
}

function filter() {
  const query = $("search").value.trim();
  let shown = 0;
  for (const tr of $("slots").querySelectorAll("tbody tr")) {
    tr.hidden = Boolean(query) && !(tr.dataset.id && matches(tr, query));
    if (!tr.hidden) shown += 1;
  }
  $("search-none").hidden = !query || shown > 0;
}

// ---- book ------------------------------------------------------------------------------

const FIELDS = ["book-slot", "book-last", "book-first", "book-birth", "book-phone"];

function markField(field) {
  for (const id of FIELDS) {
    const input = $(id);
    const bad = Boolean(field) && input.dataset.field === field;
    if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    if (bad) { input.setAttribute("aria-describedby", "book-error"); input.focus(); }
    else input.removeAttribute("aria-describedby");
  }
}

async function book(event) {
  event.preventDefault();
  sayError($("book-error"), null);
  markField("");
  // checked here first, so the message is in the page's language (not the browser's)
  const empty = FIELDS.map($).find((input) => !input.value.trim());
  if (empty) {
    const error = { code: empty.id === "book-slot" ? "bad_slot" : "missing_field", field: empty.dataset.field };
    sayError($("book-error"), error);
    markField(empty.dataset.field);
    return;
  }
  const random = new Uint8Array(8);
  crypto.getRandomValues(random);
  const id = "staff-" + Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  const slot = $("book-slot").value;
  $("book-button").disabled = true;
  try {
    await api("POST", "/api/appointments", {
      id, cabin_id: $("cabin").value, slot_start: slot,
      last_name: $("book-last").value, first_name: $("book-first").value,
      birth_date: $("book-birth").value, phone: $("book-phone").value, lang: $("book-lang").value,
    });
    $("book").reset();
    notice("booked_ok", { time: hhmm(slot) });
  } catch (error) {
    // what was typed stays: only the field at fault is pointed at
    sayError($("book-error"), error);
    markField(error.field || (error.code.startsWith("slot") ? "slot_start" : ""));
  } finally {
    $("book-button").disabled = false;
  }
  await load();
}

// ---- move and cancel: in-page dialogs ----------------------------------------------------

function openDialog(dialog, opener, focus) {
  state.opener = opener;
  dialog.showModal();
  focus.focus();
}

function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}

// Focus goes back to the button that opened the dialog (redrawn meanwhile: the new one).
function onClosed() {
  state.moving = null; state.cancelling = null;
  const opener = state.opener;
  state.opener = null;
  if (!opener) return;
  const again = document.contains(opener) ? opener : document.querySelector(
    `#slots tr[data-id="${CSS.escape(opener.dataset.for)}"] button.${opener.className}`);
  (again || $("search")).focus();
}

function openMove(a, opener) {
  state.moving = a;
  say($("move-what"), "move_what", { time: hhmm(a.slot_start), code: a.code });
  sayError($("move-error"), null);
  fillSlots($("move-slot"), state.day.bookable || [], $("move-none"));
  $("move-confirm").disabled = $("move-slot").disabled;
  openDialog($("move-dialog"), opener, $("move-slot").disabled ? $("move-keep") : $("move-slot"));
}

async function confirmMove() {
  const a = state.moving;
  if (!a) return;
  const target = $("move-slot").value;
  $("move-confirm").disabled = true;
  sayError($("move-error"), null);
  let failed = null;
  try {
    await api("PATCH", `/api/appointments/${encodeURIComponent(a.id)}`, { slot_start: target });
  } catch (error) {
    failed = error;
  }
  await load().catch((e) => banner(e));
  if (failed) {
    // the error stays in the dialog, over the slots still free now, until the next try
    sayError($("move-error"), failed);
    fillSlots($("move-slot"), state.day.bookable || [], $("move-none"));
    $("move-confirm").disabled = $("move-slot").disabled;
    return;
  }
  $("move-confirm").disabled = false;
  closeDialog($("move-dialog"));
  notice("moved_ok", { time: hhmm(target) });
}

function openCancel(a, opener) {
  state.cancelling = a;
  say($("cancel-what"), "cancel_what", { time: hhmm(a.slot_start), code: a.code });
  sayError($("cancel-error"), null);
  // the safe answer has the focus: Enter by habit keeps the appointment
  openDialog($("cancel-dialog"), opener, $("cancel-keep"));
}

async function confirmCancel() {
  const a = state.cancelling;
  if (!a) return;
  $("cancel-confirm").disabled = true;
  try {
    await api("DELETE", `/api/appointments/${encodeURIComponent(a.id)}`);
    closeDialog($("cancel-dialog"));
    notice("cancelled_ok", { time: hhmm(a.slot_start) });
  } catch (error) {
    sayError($("cancel-error"), error);
  } finally {
    $("cancel-confirm").disabled = false;
  }
  await load().catch((e) => banner(e));
}

// ---- the cabins' state and their staff calls (polled while the page is open) ---------------

function printerText(c) {
  if (!c.printer) return t("no_news");
  const word = TEXT.fr[`pr_${c.printer}`] ? t(`pr_${c.printer}`) : c.printer;
  const detail = c.printer_detail;
  const reason = detail ? (TEXT.fr[`why_${detail}`] ? t(`why_${detail}`) : detail) : "";
  return reason && reason !== word ? `${word} (${reason})` : word;
}

function since(seconds) {
  const minutes = Math.floor(seconds / 60);
  return minutes < 1 ? t("since_now") : tf("since_min", { m: minutes });
}

function myName() { return state.who ? state.who.name || state.who.login : ""; }

function renderStates(cabins) {
  const body = $("cabin-table").querySelector("tbody");
  body.replaceChildren();
  for (const c of cabins) {
    const tr = document.createElement("tr");
    tr.dataset.cabin = c.cabin_id;
    const named = cell(tr, c.name || c.cabin_id);
    if (c.today) { // a bus santé: where it stands today, as the doctors' room says
      const where = document.createElement("div");
      where.className = "cabin-today note";
      where.textContent = tf("today_at", { where: c.today });
      named.append(where);
    }
    cell(tr, t(c.online ? "online" : "offline")).className = c.online ? "online-yes" : "online-no";
    const printer = cell(tr, printerText(c));
    if (c.printer && c.printer !== "idle" && c.printer !== "printing") printer.className = "online-no";
    renderPapers(cell(tr, ""), c);
    body.append(tr);
  }
  $("cabin-states").hidden = cabins.length === 0;
}

// Papers a printer fault kept at the cabin: how many, since when, and "Reprint now" (the
// portal only passes the command on; the cabin prints from its own copy).
function renderPapers(td, c) {
  const p = c.papers;
  td.className = "papers-cell";
  if (!p) { td.textContent = t("papers_none"); return; }
  const lines = [];
  if (p.count) {
    const time = p.since ? new Date(p.since).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }) : "?";
    lines.push(tf("papers_waiting", { n: p.count, time }));
  }
  const word = p.reprint || "";
  if (word === "sent") lines.push(t("reprint_sent"));
  else if (word === "printed") lines.push(t("reprint_printed"));
  else if (word.startsWith("failed")) {
    const why = word.slice(8).trim();
    lines.push(tf("reprint_failed", { why: TEXT.fr[`why_${why}`] ? t(`why_${why}`) : why || "?" }));
  }
  td.textContent = lines.join(" — ");
  if (p.count && word !== "sent") {
    const go = button(t("reprint"), () => { reprint(c.cabin_id, go).catch((e) => banner(e)); });
    go.className = "papers-reprint";
    td.append(" ", go);
  }
  if (p.count) td.parentElement?.setAttribute("data-papers", "waiting");
}

async function reprint(cabinId, go) {
  go.disabled = true;
  banner(null);
  try {
    const answer = await api("POST", `/api/staff/cabins/${encodeURIComponent(cabinId)}/reprint`);
    if (!answer.sent) say($("notice"), "reprint_offline");
  } catch (error) {
    if (error.code === "no_papers") say($("notice"), "no_papers"); else banner(error);
  } finally {
    go.disabled = false;
  }
  await poll();
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
      const go = button("", () => { answer(c.cabin_id, go).catch((e) => banner(e)); });
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
      tf("call_text", { name, since: since(c.staff_call.since_s) });
    el.querySelector(".staff-call-go").textContent = t("call_go");
    el.querySelector(".staff-call-go").hidden = Boolean(coming);
    // an offline cabin hears the answer when it is back: go anyway, the patient may not know
    const untold = c.online ? "" : t("call_untold");
    el.querySelector(".staff-call-answer").textContent = !coming ? ""
      : (mine ? t("call_mine") : tf("call_other", { who: coming })) + untold;
    if (!coming) waiting.push(name);
  }
  box.hidden = calling.length === 0;
  // a background tab shows the call in its title
  document.title = waiting.length ? tf("call_title", { names: waiting.join(", "), title: t("title") }) : t("title");
}

async function answer(cabinId, go) {
  go.disabled = true;
  banner(null);
  try {
    await api("POST", `/api/staff/cabins/${encodeURIComponent(cabinId)}/coming`);
    state.answered.add(cabinId);
  } catch (error) {
    if (error.code === "no_call") say($("notice"), "no_call"); else banner(error);
  } finally {
    go.disabled = false;
  }
  await poll();
}

function showCabins(cabins) {
  state.lastCabins = cabins;
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

// ---- language ----------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-say]")) {
    const [key, params] = JSON.parse(el.dataset.say);
    el.textContent = tf(key, params);
  }
  for (const el of document.querySelectorAll("[data-error]")) el.textContent = explain(JSON.parse(el.dataset.error));
  for (const b of document.querySelectorAll("button.lang")) {
    b.setAttribute("aria-current", String(b.dataset.lang === lang));
  }
  document.title = t("title");
  renderDay();
  renderStates(state.lastCabins);
  renderCalls(state.lastCabins);
}

// ---- login -------------------------------------------------------------------------------

async function login(event) {
  event.preventDefault();
  say($("staff-login-error"), "");
  const r = await fetch("/api/login", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("staff-username").value, password: $("staff-password").value }),
  });
  $("staff-password").value = "";
  if (r.status === 200) { await enter(); return; }
  say($("staff-login-error"), r.status === 429 ? "login_locked" : "login_failed");
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
  applyLanguage();
  for (const b of document.querySelectorAll("button.lang")) {
    b.addEventListener("click", () => {
      lang = b.dataset.lang; localStorage.setItem("cabine-lang", lang); applyLanguage();
    });
  }
  const reload = () => { banner(null); load().catch((e) => banner(e)); };
  $("cabin").addEventListener("change", reload);
  $("day").addEventListener("change", reload);
  $("pick").addEventListener("submit", (event) => event.preventDefault());
  $("search").addEventListener("input", filter);
  $("book").addEventListener("submit", (event) => { book(event).catch((e) => banner(e)); });
  $("move-confirm").addEventListener("click", () => { confirmMove().catch((e) => sayError($("move-error"), e)); });
  $("move-keep").addEventListener("click", () => closeDialog($("move-dialog")));
  $("cancel-confirm").addEventListener("click", () => { confirmCancel().catch((e) => sayError($("cancel-error"), e)); });
  $("cancel-keep").addEventListener("click", () => closeDialog($("cancel-dialog")));
  // Escape closes a dialog natively; either way the focus goes back to the row
  $("move-dialog").addEventListener("close", onClosed);
  $("cancel-dialog").addEventListener("close", onClosed);
  $("staff-login").addEventListener("submit", (event) => {
    login(event).catch(() => { say($("staff-login-error"), "e_network"); });
  });
  $("logout").addEventListener("click", () => { logout().catch((e) => banner(e)); });
  await enter();
}

window.cabineStaff = { state, load, poll, applyLanguage };
document.addEventListener("DOMContentLoaded", () => { start().catch((e) => banner(e)); });
