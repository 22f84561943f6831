// Cabine doctor page: login, waiting room, and the call with a cabin.
// Signalling goes through the portal's WebSocket; health data (identity, readings,
// documents) only on the call's data channel, straight between cabin and browser.
"use strict";

const TEXT = {
  fr: {
    title: "Cabine — portail médecin", logout: "Se déconnecter", login_title: "Connexion",
    username: "Identifiant", password: "Mot de passe", login: "Se connecter",
    login_failed: "Identifiant ou mot de passe incorrect.", login_locked: "Trop d'essais : réessayez plus tard.",
    waiting_room: "Salle d'attente", cabin: "Cabine", session: "Session", waiting: "Attente",
    state: "État", no_patient: "Aucun patient en attente.", cabins: "Cabines", online: "En ligne",
    heartbeat: "Dernier signal", devices: "Appareils", take: "Prendre en charge",
    printer: "Imprimante", printer_idle: "prête", printer_printing: "impression",
    printer_stopped: "arrêtée", printer_missing: "absente", printer_unknown: "inconnue",
    why_paper_out: "plus de papier", why_paper_jam: "bourrage", why_offline: "hors ligne",
    why_stopped: "file arrêtée", why_not_accepting: "refuse les travaux",
    why_no_such_queue: "file introuvable", why_cups_unavailable: "CUPS ne répond pas",
    state_waiting: "en attente", state_taken: "pris en charge", yes: "oui", no: "non",
    mute: "Couper le micro", unmute: "Rétablir le micro", camera_off: "Couper la caméra",
    camera_on: "Rétablir la caméra", end: "Terminer la consultation", patient: "Patient",
    name: "Nom", birth_date: "Date de naissance", nir: "N° de sécurité sociale",
    consent: "Consentement", identity_note: "Identité lue sur la carte, non qualifiée (INS) : vérifiez une pièce d'identité à l'écran.",
    identity_note_booking_code: "Pas de carte Vitale : patient venu avec son code de rendez-vous. Vérifiez une pièce d'identité à l'écran et saisissez l'identité dans l'ordonnance.",
    identity_note_walk_in: "Pas de carte Vitale : patient sans rendez-vous, venu sans carte. Vérifiez une pièce d'identité à l'écran et saisissez l'identité dans l'ordonnance.",
    rx_identity: "Identité vérifiée sur pièce", last_name: "Nom", first_name: "Prénom",
    sex: "Sexe", sex_f: "Femme", sex_m: "Homme", choose: "—",
    readings: "Mesures", kind_blood_pressure: "Tension", kind_temperature: "Température",
    kind_weight: "Poids", kind_spo2: "SpO₂", kind_cuff_pressure: "Brassard", kind_body_composition: "Composition",
    prescription: "Ordonnance", weight_kg: "Poids (kg, facultatif)", add_line: "Ajouter une ligne",
    send_prescription: "Envoyer l'ordonnance", upload_pdf: "Ordonnance PDF de votre logiciel",
    send_pdf: "Envoyer le PDF", medicine: "Médicament", dose: "Posologie",
    duration: "Durée / quantité", renewals: "Renouvellements",
    call_waiting: "En attente de la cabine…", call_connecting: "Connexion…",
    call_connected: "En consultation", call_reconnecting: "Reconnexion…", call_ended: "Consultation terminée",
    quality_good: "Bonne qualité", quality_fair: "Qualité moyenne", quality_poor: "Mauvaise qualité",
    sent: "Envoyé…", received: "Reçu par la cabine ✓", refused: "Refusé par la cabine",
    measuring: "Mesure demandée", pdf_too_big: "PDF trop gros (5 Mo au plus).",
    mstate_requested: "demandée", mstate_in_progress: "en cours", mstate_done: "terminée",
    mstate_failed: "échec : {reason}", mstate_cancelled: "annulée", ask_again: "Redemander",
    mreason_no_device: "pas d'appareil de ce type dans la cabine",
    mreason_unavailable: "appareil inutilisable (installation à vérifier)",
    mreason_unplugged: "appareil débranché ou introuvable",
    mreason_timeout: "pas de résultat dans le temps imparti",
    mreason_device_error: "l'appareil signale une erreur",
    mreason_bad_data: "données de l'appareil illisibles",
    mreason_no_valid_value: "l'appareil n'a pas de mesure valide",
    not_pdf: "Ce fichier n'est pas un PDF.", no_channel: "Pas de canal de données avec la cabine.",
    portal_lost: "Connexion au portail perdue, nouvelle tentative…", taken_by_other: "Un autre médecin a pris ce patient.",
    no_valid: "pas de mesure valide", device: "appareil", exam_camera: "Caméra d'examen",
    booked: "Sur rendez-vous", walk_ins: "Sans rendez-vous", slot: "RDV",
    staff: "Personnel sur place", staff_called: "Appel du personnel depuis {since}",
    staff_coming: "— personnel en route : {name}", under_a_minute: "moins d'1 min",
    rx_edit: "Modifier et renvoyer", rx_editing: "Modification : l'envoi remplacera l'ordonnance déjà envoyée.",
    rx_other_session: "Cette ordonnance a été ouverte pour un autre patient : non envoyée.",
    link_down: "Liaison avec la cabine interrompue : les demandes attendent son retour.",
    not_confirmed: "Non confirmé par la cabine (liaison coupée) : renvoyez.",
    patient_left: "Ce patient a quitté la cabine.", state_ended: "parti",
  },
  en: {
    title: "Cabine — doctor portal", logout: "Log out", login_title: "Log in",
    username: "Username", password: "Password", login: "Log in",
    login_failed: "Wrong username or password.", login_locked: "Too many attempts: try again later.",
    waiting_room: "Waiting room", cabin: "Cabin", session: "Session", waiting: "Waiting",
    state: "State", no_patient: "No patient waiting.", cabins: "Cabins", online: "Online",
    heartbeat: "Last heartbeat", devices: "Devices", take: "Take patient",
    printer: "Printer", printer_idle: "ready", printer_printing: "printing",
    printer_stopped: "stopped", printer_missing: "missing", printer_unknown: "unknown",
    why_paper_out: "out of paper", why_paper_jam: "paper jam", why_offline: "offline",
    why_stopped: "queue stopped", why_not_accepting: "refusing jobs",
    why_no_such_queue: "no such queue", why_cups_unavailable: "CUPS not answering",
    state_waiting: "waiting", state_taken: "taken", yes: "yes", no: "no",
    mute: "Mute", unmute: "Unmute", camera_off: "Camera off", camera_on: "Camera on",
    end: "End consultation", patient: "Patient", name: "Name", birth_date: "Birth date",
    nir: "Social security no.", consent: "Consent",
    identity_note: "Identity as read from the card, not qualified (INS): check an ID document on camera.",
    identity_note_booking_code: "No Carte Vitale: the patient checked in with their booking code. Check an ID document on camera and type the identity in the prescription.",
    identity_note_walk_in: "No Carte Vitale: walk-in patient without a card. Check an ID document on camera and type the identity in the prescription.",
    rx_identity: "Identity checked on an ID document", last_name: "Last name", first_name: "First name",
    sex: "Sex", sex_f: "Female", sex_m: "Male", choose: "—",
    booked: "Booked", walk_ins: "Walk-ins", slot: "Slot",
    readings: "Readings", kind_blood_pressure: "Blood pressure", kind_temperature: "Temperature",
    kind_weight: "Weight", kind_spo2: "SpO₂", kind_cuff_pressure: "Cuff", kind_body_composition: "Body composition",
    prescription: "Prescription", weight_kg: "Weight (kg, optional)", add_line: "Add a line",
    send_prescription: "Send prescription", upload_pdf: "Prescription PDF from your software",
    send_pdf: "Send PDF", medicine: "Medicine", dose: "Dose", duration: "Duration / quantity",
    renewals: "Renewals", call_waiting: "Waiting for the cabin…", call_connecting: "Connecting…",
    call_connected: "In consultation", call_reconnecting: "Reconnecting…", call_ended: "Consultation ended",
    quality_good: "Good quality", quality_fair: "Fair quality", quality_poor: "Poor quality",
    sent: "Sent…", received: "Received by the cabin ✓", refused: "Refused by the cabin",
    measuring: "Measurement requested", pdf_too_big: "PDF too large (5 MB at most).",
    mstate_requested: "asked", mstate_in_progress: "in progress", mstate_done: "done",
    mstate_failed: "failed: {reason}", mstate_cancelled: "cancelled", ask_again: "Ask again",
    mreason_no_device: "no instrument of this kind in the cabin",
    mreason_unavailable: "instrument cannot be used (check its set-up)",
    mreason_unplugged: "instrument unplugged or not found",
    mreason_timeout: "no result in time",
    mreason_device_error: "the instrument reported an error",
    mreason_bad_data: "unreadable data from the instrument",
    mreason_no_valid_value: "the instrument has no valid measurement",
    not_pdf: "This file is not a PDF.", no_channel: "No data channel with the cabin.",
    portal_lost: "Lost the portal connection, retrying…", taken_by_other: "Another doctor took this patient.",
    no_valid: "no valid measurement", device: "device", exam_camera: "Exam camera",
    staff: "On-site staff", staff_called: "Staff called for {since}",
    staff_coming: "— staff on the way: {name}", under_a_minute: "under 1 min",
    rx_edit: "Edit and resend", rx_editing: "Editing: sending replaces the prescription already sent.",
    rx_other_session: "This prescription was opened for another patient: not sent.",
    link_down: "Link to the cabin interrupted: requests wait for it to come back.",
    not_confirmed: "Not confirmed by the cabin (link lost): send again.",
    patient_left: "This patient has left the cabin.", state_ended: "left",
  },
};

const DATA_TYPES = new Set(["identity", "reading", "measuring", "quality", "end", "ack", "error"]);
// A measurement's states and a failure's reasons: closed sets, as in the cabin's protocol
// (kiosk/protocol.py: MEASUREMENT_KINDS, MeasuringState, MeasuringReason).
const MEASUREMENT_KINDS = ["blood_pressure", "temperature", "weight", "spo2"];
const MEASURING_STATES = new Set(["requested", "in_progress", "done", "failed", "cancelled"]);
const MEASURING_REASONS = new Set([
  "no_device", "unavailable", "unplugged", "timeout", "device_error", "bad_data", "no_valid_value",
]);
const MAX_DATA_BYTES = 60 * 1024;
const CHUNK_BYTES = 32 * 1024;
const MAX_PDF_BYTES = 5 * 1024 * 1024;
const MAX_READINGS = 500;
// this page's own mark in its message ids: a request sent again after a drop keeps its id
// (the cabin applies it once), and a reloaded page never reuses an id of the session
const PAGE_ID = Math.random().toString(36).slice(2, 8);

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem("cabine-lang") || (navigator.language || "fr").slice(0, 2);
if (!TEXT[lang]) lang = "fr";
const t = (key) => (TEXT[lang][key] || TEXT.fr[key] || key);

const state = {
  me: null, ice: [], icePolicy: "all", ws: null, wsRetry: 0, loggedOut: false,
  call: null,           // {callId, sessionId, cabinId}
  pc: null, channel: null, local: null, seq: 0,
  pending: new Map(),   // message id -> {msg, done, resend}: sent, not yet answered
  quality: "", stats: {}, statsTimer: null, room: null,
  patient: null,        // {sessionId}: whose data the call view holds (kept across reconnections)
  readings: [], readingSeqs: new Set(), readingCount: 0, errors: 0,
  measures: {},         // kind -> {state, reason}: where each measurement asked stands
  asking: new Set(),    // kinds whose request the cabin has not answered yet
  rx: null,             // {sessionId, rxId, version, locked}: the form, bound to one session
  pdfPending: false,
  endedSessions: new Set(),  // sessions that ended (no patient data): never taken again
  taking: "",           // the session this doctor last asked to take
  // where the patient's identity came from: "card", or no card read ("booking_code", "walk_in")
  identitySource: "", identityKey: "",
};
const CARDLESS = new Set(["booking_code", "walk_in"]);

// ---- language ---------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll("button.lang")) {
    b.setAttribute("aria-current", String(b.dataset.lang === lang));
  }
  document.title = t("title");
  const callState = $("call-state").dataset.state;
  if (callState) $("call-state").textContent = t(callState);
  if (state.room) renderRoom(state.room);
  renderQuality();
  renderReadings();
  renderMeasures();
}

// ---- views ------------------------------------------------------------------------------

function show(view) {
  for (const v of ["login-view", "room-view", "call-view"]) $(v).hidden = v !== view;
  $("logout").hidden = view === "login-view";
}

function banner(text) {
  $("banner").textContent = text || "";
  $("banner").hidden = !text;
}

function setCallState(key) {
  $("call-state").textContent = t(key);
  $("call-state").dataset.state = key;
}

// ---- login ------------------------------------------------------------------------------

async function loadMe() {
  const r = await fetch("/api/me", { credentials: "same-origin" });
  if (r.status !== 200) { show("login-view"); return false; }
  const body = await r.json();
  state.me = body.doctor;
  state.ice = body.ice_servers || [];
  state.icePolicy = body.ice_transport_policy === "relay" ? "relay" : "all";
  $("who").textContent = state.me.name;
  show("room-view");
  connectSocket();
  return true;
}

async function login(ev) {
  ev.preventDefault();
  $("login-error").textContent = "";
  const r = await fetch("/api/login", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("username").value, password: $("password").value }),
  });
  $("password").value = "";
  if (r.status === 200) {
    const body = await r.json().catch(() => ({}));
    // staff on site manage appointments: their page is /staff, not the doctor's
    if (body.role === "staff") { window.location.assign(body.next || "/staff"); return; }
    state.loggedOut = false; await loadMe(); return;
  }
  $("login-error").textContent = t(r.status === 429 ? "login_locked" : "login_failed");
}

async function logout() {
  state.loggedOut = true;
  endCall(Boolean(state.call));  // a consultation under way ends: the cabin is told
  resetPatient("");
  state.room = null;
  for (const id of ["patients", "cabins"]) $(id).querySelector("tbody").replaceChildren();
  if (state.ws) state.ws.close();
  await fetch("/api/logout", { method: "POST", credentials: "same-origin" });
  state.me = null;
  $("who").textContent = "";
  banner("");
  show("login-view");
}

// ---- portal socket ----------------------------------------------------------------------

function connectSocket() {
  if (state.ws && state.ws.readyState <= 1) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws/doctor`);
  state.ws = ws;
  ws.onopen = () => { state.wsRetry = 0; banner(""); };
  ws.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    if (msg && typeof msg.type === "string") onSignal(msg);
  };
  ws.onclose = () => {
    if (state.ws !== ws || state.loggedOut) return;
    banner(t("portal_lost"));
    const delay = Math.min(10000, 500 * 2 ** state.wsRetry++);
    setTimeout(async () => {
      const r = await fetch("/api/me", { credentials: "same-origin" }).catch(() => null);
      // the call is peer to peer: a portal restart must not take the doctor off it
      if (r && r.status === 401) { if (!state.call) show("login-view"); return; }
      connectSocket();
    }, delay);
  };
}

function signal(msg) {
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(msg));
}

function onSignal(msg) {
  switch (msg.type) {
    case "waiting_room": state.room = msg; renderRoom(msg); break;
    case "taken": onTaken(msg); break;
    case "offer": onOffer(msg); break;
    case "hangup": onHangup(msg); break;
    case "error":
      if (msg.code === "taken") banner(t("taken_by_other"));
      if (msg.code === "not_found" && msg.ref === "take" && state.taking) {
        // no longer in the portal's room (the patient left): off this page's list too,
        // until the portal's next list
        banner(t("patient_left"));
        if (state.room) {
          const gone = state.taking;
          renderRoom({ ...state.room, patients: state.room.patients.filter((p) => p.session_id !== gone) });
        }
      }
      state.taking = "";
      state.errors += 1;
      break;
    default: break;
  }
}

function renderRoom(room) {
  const body = $("patients").querySelector("tbody");
  body.replaceChildren();
  // with appointments, booked patients (sent first by the portal) and walk-ins apart
  let group = null;
  for (const p of room.patients) {
    if (p.booked !== undefined && p.booked !== group) {
      group = p.booked;
      const head = document.createElement("tr");
      head.className = "room-group";
      head.dataset.group = group ? "booked" : "walk-in";
      const th = document.createElement("th");
      th.colSpan = 5; th.textContent = t(group ? "booked" : "walk_ins");
      head.append(th); body.append(head);
    }
    const tr = document.createElement("tr");
    tr.dataset.session = p.session_id;
    if (p.booked !== undefined) tr.dataset.booked = p.booked ? "yes" : "no";
    // a session that ended (the cabin said so, or the portal lists it so) is greyed and
    // cannot be taken, even while an older list still shows it
    const ended = sessionEnded(p);
    tr.dataset.state = ended ? "ended" : p.state;
    const mins = Math.floor(p.waiting_s / 60), secs = Math.floor(p.waiting_s % 60);
    const session = p.booked ? `${p.session_id} (${t("slot")} ${p.slot})` : p.session_id;
    for (const text of [p.cabin_id, session, `${mins} min ${String(secs).padStart(2, "0")} s`,
      t(ended ? "state_ended" : p.state === "waiting" ? "state_waiting" : "state_taken")]) {
      const td = document.createElement("td"); td.textContent = text; tr.append(td);
    }
    const td = document.createElement("td");
    if (p.state === "waiting" || p.mine || ended) {
      const b = document.createElement("button");
      b.type = "button"; b.className = "take"; b.textContent = t("take");
      b.disabled = ended;
      if (ended) b.title = t("patient_left");
      b.addEventListener("click", () => takePatient(p.session_id));
      td.append(b);
    }
    tr.append(td);
    body.append(tr);
  }
  $("no-patient").hidden = room.patients.length > 0;
  const cab = $("cabins").querySelector("tbody");
  cab.replaceChildren();
  for (const c of room.cabins) {
    const tr = document.createElement("tr");
    const devices = Object.entries(c.devices || {}).map(([k, v]) => `${k}: ${v}`).join(", ");
    // the printer as the cabin's heartbeat says (CUPS's reason when it is stopped)
    const printer = c.printer
      ? t("printer_" + c.printer) + (c.printer_detail ? ` (${t("why_" + c.printer_detail)
        .replace(/^why_/, "")})` : "")
      : "—";
    const cells = [c.name || c.cabin_id, t(c.online ? "yes" : "no"),
      c.heartbeat_age_s === null ? "—" : `${c.heartbeat_age_s} s`, devices || "—", printer,
      staffCall(c.staff_call)];
    tr.dataset.cabin = c.cabin_id;
    if (c.staff_call) tr.dataset.staffCall = c.staff_call.coming ? "coming" : "calling";
    cells.forEach((text, i) => {
      const td = document.createElement("td"); td.textContent = text;
      if (i === 1) td.className = c.online ? "online-yes" : "online-no";
      if (i === 5) td.className = "staff-call-cell";
      tr.append(td);
    });
    cab.append(tr);
  }
}

function sessionEnded(p) {
  return state.endedSessions.has(p.session_id) || (p.state !== "waiting" && p.state !== "taken");
}

function markEnded(sessionId) {
  if (!sessionId) return;
  state.endedSessions.add(sessionId);
  if (state.endedSessions.size > 500) state.endedSessions.delete(state.endedSessions.values().next().value);
}

function takePatient(sessionId) {
  if (state.endedSessions.has(sessionId)) {
    banner(t("patient_left"));
    if (state.room) renderRoom(state.room);
    return;
  }
  state.taking = sessionId;
  signal({ type: "take", session_id: sessionId });
}

// A patient pressed "call staff" at the cabin: the doctor may phone the site.
function staffCall(call) {
  if (!call) return "—";
  const minutes = Math.floor(call.since_s / 60);
  const since = minutes < 1 ? t("under_a_minute") : `${minutes} min`;
  const called = t("staff_called").replace("{since}", since);
  return call.coming ? `${called} ${t("staff_coming").replace("{name}", call.coming)}` : called;
}

// ---- the call ---------------------------------------------------------------------------

async function localMedia() {
  if (state.local) return state.local;
  try {
    state.local = await navigator.mediaDevices.getUserMedia({
      video: { width: 640, height: 480 }, audio: true,
    });
  } catch (e) {
    state.local = new MediaStream();  // the consultation goes on without our camera
  }
  $("local-video").srcObject = state.local;
  return state.local;
}

function onTaken(msg) {
  if (state.endedSessions.has(msg.session_id)) {
    // the patient has left: no call to the goodbye screen
    signal({ type: "hangup", call_id: msg.call_id });
    banner(t("patient_left"));
    return;
  }
  banner("");
  state.taking = "";
  // the same session again (the call was rebuilt after a drop): what the page holds stays;
  // another patient: nothing of the previous one remains
  const same = Boolean(state.patient && state.patient.sessionId === msg.session_id);
  if (!same) resetPatient(msg.session_id);
  state.call = { callId: msg.call_id, sessionId: msg.session_id };
  show("call-view");
  setCallState(same ? "call_reconnecting" : "call_waiting");
  renderLink();
  localMedia();
}

async function onOffer(msg) {
  if (!state.call || msg.call_id !== state.call.callId) return;  // stale offer
  closePeer();
  setCallState("call_connecting");
  const pc = new RTCPeerConnection({ iceServers: state.ice, iceTransportPolicy: state.icePolicy });
  state.pc = pc;
  const stream = await localMedia();
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  // the cabin's camera and microphone first; a second video track is the exam camera
  let videos = 0;
  pc.ontrack = (ev) => {
    const exam = ev.track.kind === "video" && videos++ > 0;
    const video = $(exam ? "exam-video" : "remote-video");
    if (!video.srcObject) video.srcObject = new MediaStream();
    video.srcObject.addTrack(ev.track);
    if (exam) $("exam").hidden = false;
  };
  pc.ondatachannel = (ev) => setupChannel(ev.channel);
  pc.onconnectionstatechange = () => {
    if (state.pc !== pc) return;
    if (pc.connectionState === "connected") setCallState("call_connected");
    else if (pc.connectionState === "disconnected" || pc.connectionState === "failed") {
      setCallState("call_reconnecting");
    }
    renderLink();
  };
  await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  // aiortc takes no trickled candidates: answer once gathering is complete
  await new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") { resolve(); return; }
    const done = () => { if (pc.iceGatheringState === "complete") resolve(); };
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, 3000);
  });
  if (state.pc !== pc) return;
  signal({ type: "answer", call_id: msg.call_id, sdp: pc.localDescription.sdp });
  startStats();
}

function onHangup(msg) {
  if (!state.call || msg.call_id !== state.call.callId) return;
  if (msg.reason === "restart") {
    closePeer();
    setCallState("call_reconnecting");  // a "taken" with the new call id follows
    renderLink();
    return;
  }
  if (msg.reason === "ended" || msg.reason === "gone") markEnded(state.call.sessionId);
  endCall(false);
}

function closePeer() {
  if (state.statsTimer) { clearInterval(state.statsTimer); state.statsTimer = null; }
  if (state.channel) {
    const ch = state.channel;
    ch.onmessage = ch.onopen = ch.onclose = null;
    ch.close();
    state.channel = null;
  }
  if (state.pc) { state.pc.close(); state.pc = null; }
  for (const id of ["remote-video", "exam-video"]) {
    const video = $(id);
    if (video.srcObject) { for (const tr of video.srcObject.getTracks()) tr.stop(); }
    video.srcObject = null;
  }
  $("exam").hidden = true;
}

function endCall(sendEnd) {
  if (sendEnd && state.call) {
    sendData({ type: "end", reason: "doctor" });
    signal({ type: "hangup", call_id: state.call.callId });
    markEnded(state.call.sessionId);
  }
  closePeer();
  if (state.local) { for (const tr of state.local.getTracks()) tr.stop(); state.local = null; }
  $("local-video").srcObject = null;
  state.call = null;
  // the patient's data leaves the page with the call (DESIGN §6)
  resetPatient("");
  if (state.me) { show("room-view"); banner(sendEnd ? t("call_ended") : ""); }
  if (state.room) renderRoom(state.room);
}

// ---- data channel -----------------------------------------------------------------------

function setupChannel(channel) {
  state.channel = channel;
  channel.onopen = () => onChannelOpen(channel);
  channel.onclose = () => { if (state.channel === channel) renderLink(); };
  if (channel.readyState === "open") setTimeout(() => onChannelOpen(channel), 0);
  channel.onmessage = (ev) => {
    if (typeof ev.data !== "string" || ev.data.length > MAX_DATA_BYTES) {
      sendData({ type: "error", code: "too_large", message: "message too large" });
      return;
    }
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) {
      sendData({ type: "error", code: "malformed", message: "not JSON" }); return;
    }
    if (!msg || typeof msg !== "object" || !DATA_TYPES.has(msg.type)) {
      sendData({ type: "error", code: "unknown_type", message: "unknown message type" }); return;
    }
    try { onData(msg); } catch (e) {
      sendData({ type: "error", code: "bad_field", message: "bad message", ref: msg.type });
      return;
    }
    if (msg.id && msg.type !== "ack") sendData({ type: "ack", id: String(msg.id) });
  };
}

// A new data channel (first, or after a reconnection): the cabin hears which readings of
// the session the page holds, and sends the others; requests the dropped link never
// answered go again under the same id (the cabin applies each once), the rest are told.
function onChannelOpen(channel) {
  if (state.channel !== channel || channel.readyState !== "open" || !state.call) return;
  if (channel.resumed) return;
  channel.resumed = true;
  sendData({ type: "resume", session_id: state.call.sessionId, readings: [...state.readingSeqs] });
  for (const [id, p] of state.pending) {
    if (p.resend) channel.send(JSON.stringify(p.msg));
    else { state.pending.delete(id); p.done(false, "link_lost"); }
  }
  renderLink();
}

function linkUp() {
  const ch = state.channel, pc = state.pc;
  return Boolean(state.call && ch && ch.readyState === "open" && pc
    && !["disconnected", "failed", "closed"].includes(pc.connectionState));
}

// While the link to the cabin is down, nothing can be asked of it: the buttons wait, and
// a note says why (a request sent into a dead link is sent again when it is back).
function renderLink() {
  const up = linkUp();
  $("call-view").dataset.link = up ? "up" : "down";
  $("link-note").hidden = !state.call || up;
  renderControls();
}

function renderControls() {
  const up = linkUp();
  for (const b of document.querySelectorAll("button.measure")) b.disabled = !up || state.asking.has(b.dataset.kind);
  for (const b of document.querySelectorAll("button.ask-again")) {
    b.disabled = !up || state.asking.has(b.closest("li").dataset.kind);
  }
  $("rx-send").disabled = !up || !state.rx || state.rx.locked;
  $("pdf-send").disabled = !up || state.pdfPending;
}

function sendData(msg, onAck, resend = false) {
  const ch = state.channel;
  if (!ch || ch.readyState !== "open") return false;
  if (msg.type !== "ack" && msg.type !== "error" && !msg.id) {
    msg.id = `d${PAGE_ID}-${++state.seq}`;
  }
  if (onAck && msg.id) state.pending.set(msg.id, { msg, done: onAck, resend });
  ch.send(JSON.stringify(msg));
  return true;
}

function onData(msg) {
  switch (msg.type) {
    case "identity": {
      const source = CARDLESS.has(msg.source) ? msg.source : "card";
      setIdentitySource(source, `${msg.session_id || ""}|${source}`);
      const name = `${String(msg.last_name || "").toUpperCase()} ${msg.first_name || ""}`.trim();
      $("id-name").textContent = source === "card" && name ? name : "—";
      const b = String(msg.birth_date || "");
      $("id-birth").textContent = source !== "card" || !b ? "—"
        : b.length === 8 ? `${b.slice(6)}/${b.slice(4, 6)}/${b.slice(0, 4)}` : b;
      $("id-nir").textContent = msg.nir || "—";
      $("id-consent").textContent = msg.consent_time ? new Date(msg.consent_time).toLocaleString(lang) : "—";
      break;
    }
    case "reading": {
      if (!msg.reading || typeof msg.reading.kind !== "string") throw new Error("bad reading");
      // numbered by the cabin: each kept once (it sends again what a dropped link lost)
      const seq = Number.isInteger(msg.seq) && msg.seq > 0 ? msg.seq : 0;
      if (seq && state.readingSeqs.has(seq)) break;
      state.readings.push({ ...msg.reading, seq, arrival: ++state.readingCount });
      state.readings.sort((a, b) => (b.seq - a.seq) || (b.arrival - a.arrival));
      state.readings.length = Math.min(state.readings.length, MAX_READINGS);
      state.readingSeqs = new Set(state.readings.map((r) => r.seq).filter(Boolean));
      renderReadings();
      break;
    }
    case "measuring": {
      const failed = msg.state === "failed";
      if (!MEASUREMENT_KINDS.includes(msg.kind) || !MEASURING_STATES.has(msg.state)
        || (failed ? !MEASURING_REASONS.has(msg.reason) : msg.reason !== undefined)) {
        throw new Error("bad measuring");
      }
      state.measures[msg.kind] = { state: msg.state, reason: failed ? msg.reason : "" };
      renderMeasures();
      break;
    }
    case "ack": {
      const p = state.pending.get(msg.id);
      state.pending.delete(msg.id);
      if (p) p.done(true);
      break;
    }
    case "error": {
      state.errors += 1;
      const p = msg.ref && state.pending.get(msg.ref);
      if (p) { state.pending.delete(msg.ref); p.done(false, msg.code); }
      break;
    }
    case "end":
      if (state.call) markEnded(state.call.sessionId);
      endCall(false);
      banner(t("call_ended"));
      break;
    default: break;
  }
}

function formatReading(r) {
  const parts = [];
  for (const [name, value] of Object.entries(r.values || {})) {
    const unit = (r.units && r.units[name]) || r.unit || "";
    parts.push(`${name} ${value} ${unit}`.trim());
  }
  for (const [name, why] of Object.entries(r.missing || {})) parts.push(`${name}: ${t("no_valid")} (${why})`);
  return parts.join(" · ");
}

function renderReadings() {
  const list = $("readings");
  if (!list) return;
  list.replaceChildren();
  for (const r of state.readings) {
    const li = document.createElement("li");
    li.className = "reading";
    li.dataset.kind = r.kind;
    const main = document.createElement("span");
    main.className = "value";
    main.textContent = `${t("kind_" + r.kind)} : ${formatReading(r)}`;
    const meta = document.createElement("span");
    meta.className = "meta";
    const when = r.timestamp || r.received_at;
    const device = r.device ? [r.device.model || r.device.id, r.device.serial].filter(Boolean).join(" ") : "";
    meta.textContent = `${when ? new Date(when).toLocaleTimeString(lang) : ""} · ${t("device")} ${device}` +
      ((r.flags && r.flags.length) ? ` · ${r.flags.join(", ")}` : "");
    li.append(main, meta);
    list.append(li);
  }
}

// One line per instrument asked: its state in words; a failure says why and may be asked
// again (the same request as the instrument's button).
function measureText(kind, m) {
  if (m.state !== "failed") return t("mstate_" + m.state);
  let why = t("mreason_" + m.reason);
  if (m.reason === "no_valid_value") {
    // the device's own reason, as its reading carries it
    const last = state.readings.find((r) => r.kind === kind);
    const device = last ? [...new Set(Object.values(last.missing || {}))].join(", ") : "";
    if (device) why += ` (${device})`;
  }
  return t("mstate_failed").replace("{reason}", why);
}

function renderMeasures() {
  const list = $("measure-states");
  if (!list) return;
  list.replaceChildren();
  for (const kind of MEASUREMENT_KINDS) {
    const m = state.measures[kind];
    if (!m) continue;
    const li = document.createElement("li");
    li.className = "measure-state";
    li.dataset.kind = kind;
    li.dataset.state = m.state;
    if (m.reason) li.dataset.reason = m.reason;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = `${t("kind_" + kind)} : ${measureText(kind, m)}`;
    li.append(text);
    if (m.state === "failed") {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "ask-again";
      again.textContent = t("ask_again");
      again.disabled = !linkUp() || state.asking.has(kind);  // until the cabin answers
      again.addEventListener("click", () => {
        if (!requestMeasure(kind, (acked) => { if (!acked) renderMeasures(); })) renderMeasures();
      });
      li.append(again);
    }
    list.append(li);
  }
}

// Without a card, the note says so and the prescription asks for the identity the doctor
// checked on camera; with a card, the card's identity is used and the inputs stay out.
function setIdentitySource(source, key) {
  const note = $("identity-note");
  note.dataset.source = source;
  note.dataset.i18n = source === "card" ? "identity_note" : `identity_note_${source}`;
  note.textContent = t(note.dataset.i18n);
  const fields = $("rx-identity");
  const cardless = CARDLESS.has(source);
  fields.hidden = !cardless;
  fields.disabled = !cardless;  // disabled: neither required nor sent
  if (key !== state.identityKey) {
    // another patient (or the same session told otherwise): nothing typed carries over
    for (const id of ["rx-last-name", "rx-first-name", "rx-sex", "rx-birth"]) $(id).value = "";
  }
  // today in the doctor's own time zone (toISOString alone is UTC's day)
  const now = new Date();
  $("rx-birth").max = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  state.identitySource = source;
  state.identityKey = key;
}

// The one reset of everything patient-related on the page: when a patient is taken, when a
// call ends, at logout. ``sessionId``: the session the page now serves ("" for none); the
// prescription form is bound to it.
function resetPatient(sessionId) {
  for (const id of ["id-name", "id-birth", "id-nir", "id-consent"]) $(id).textContent = "—";
  setIdentitySource("card", "");
  for (const id of ["rx-last-name", "rx-first-name", "rx-sex", "rx-birth", "rx-weight", "pdf-file"]) {
    $(id).value = "";
  }
  $("rx-lines").replaceChildren();
  addLine();
  state.readings = [];
  state.readingSeqs = new Set();
  renderReadings();
  state.measures = {};
  state.asking.clear();
  renderMeasures();
  for (const id of ["measure-status", "rx-status", "pdf-status"]) $(id).textContent = "";
  state.pending.clear();
  state.pdfPending = false;
  state.patient = sessionId ? { sessionId } : null;
  state.rx = sessionId
    ? { sessionId, rxId: `rx-${PAGE_ID}-${Date.now().toString(36)}`, version: 0, locked: false }
    : null;
  lockPrescription(false);
  $("exam").hidden = true;
  renderLink();
}

function requestMeasure(kind, then) {
  if (!linkUp()) { $("measure-status").textContent = t("link_down"); return false; }
  state.asking.add(kind);
  const ok = sendData({ type: "measure", kind }, (acked, why) => {
    state.asking.delete(kind);
    const word = acked ? "received" : why === "link_lost" ? "not_confirmed" : "refused";
    $("measure-status").textContent = `${t("kind_" + kind)} : ${t(word)}`;
    renderControls();
    if (then) then(acked);
  }, true);
  if (!ok) state.asking.delete(kind);
  $("measure-status").textContent = ok ? `${t("measuring")} : ${t("kind_" + kind)}` : t("no_channel");
  renderControls();
  return ok;
}

// ---- prescription -----------------------------------------------------------------------

function addLine() {
  const node = $("rx-line-template").content.cloneNode(true);
  for (const el of node.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("rx-lines").append(node);
}

// After a send the form locks: a second click sends nothing. "Edit and resend" unlocks it;
// the next send is a later version of the same prescription, which replaces the first at
// the cabin (only the latest prints).
function lockPrescription(locked) {
  if (state.rx) state.rx.locked = locked;
  $("rx-fields").disabled = locked;
  $("rx-edit").hidden = !locked;
  renderControls();
}

function editPrescription() {
  if (!state.rx || !state.rx.locked) return;
  lockPrescription(false);
  $("rx-status").textContent = t("rx_editing");
}

function sendPrescription(ev) {
  ev.preventDefault();
  const rx = state.rx;
  if (rx && rx.locked) return;
  if (!rx || !state.call || rx.sessionId !== state.call.sessionId) {
    $("rx-status").textContent = t("rx_other_session");
    return;
  }
  if (!linkUp()) { $("rx-status").textContent = t("link_down"); return; }
  const lines = [...document.querySelectorAll(".rx-line")].map((f) => ({
    medicine: f.querySelector(".rx-medicine").value.trim(),
    dose: f.querySelector(".rx-dose").value.trim(),
    duration: f.querySelector(".rx-duration").value.trim(),
    renewals: Number(f.querySelector(".rx-renewals").value || 0),
  })).filter((l) => l.medicine);
  const weight = $("rx-weight").value;
  const patient = weight ? { weight_kg: Number(weight) } : {};
  if (CARDLESS.has(state.identitySource)) {
    // no card: the identity the doctor checked on an ID document (the form required it)
    patient.last_name = $("rx-last-name").value.trim();
    patient.first_name = $("rx-first-name").value.trim();
    patient.sex = $("rx-sex").value;
    patient.birth_date = $("rx-birth").value;
  }
  const form = { prescriber: state.me, date: new Date().toISOString(), patient, lines };
  const version = rx.version + 1;
  const msg = { type: "prescription", session_id: rx.sessionId, rx_id: rx.rxId, version, form };
  const ok = sendData(msg, (acked) => {
    if (state.rx !== rx || rx.version !== version) return;  // a version since replaced
    $("rx-status").textContent = t(acked ? "received" : "refused");
    if (!acked) lockPrescription(false);  // nothing kept at the cabin: the doctor may fix it
  }, true);
  if (!ok) { $("rx-status").textContent = t("no_channel"); return; }
  rx.version = version;
  lockPrescription(true);
  $("rx-status").textContent = t("sent");
}

function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function drain(ch) {
  if (ch.bufferedAmount < 256 * 1024) return;
  await new Promise((resolve) => {
    ch.bufferedAmountLowThreshold = 64 * 1024;
    ch.addEventListener("bufferedamountlow", resolve, { once: true });
    setTimeout(resolve, 5000);
  });
}

async function sendPdf(ev) {
  ev.preventDefault();
  const file = $("pdf-file").files[0];
  if (!file || !state.call || state.pdfPending) return;
  if (!linkUp()) { $("pdf-status").textContent = t("link_down"); return; }
  const sessionId = state.call.sessionId;
  if (file.size > MAX_PDF_BYTES) { $("pdf-status").textContent = t("pdf_too_big"); return; }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (String.fromCharCode(...bytes.subarray(0, 5)) !== "%PDF-") { $("pdf-status").textContent = t("not_pdf"); return; }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const docId = `doc${Date.now().toString(36)}`;
  const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
  if (!state.call || state.call.sessionId !== sessionId) return;  // another patient meanwhile
  const channel = state.channel;
  const ok = sendData({ type: "document", doc_id: docId, kind: "uploaded_prescription", session_id: sessionId,
    sha256, size: bytes.length, chunks },
  (acked, why) => {
    if (!state.patient || state.patient.sessionId !== sessionId) return;
    state.pdfPending = false;
    $("pdf-status").textContent = t(acked ? "received" : why === "link_lost" ? "not_confirmed" : "refused");
    renderControls();
  });
  if (!ok) { $("pdf-status").textContent = t("no_channel"); return; }
  state.pdfPending = true;
  renderControls();
  $("pdf-status").textContent = t("sent");
  for (let i = 0; i < chunks; i++) {
    if (state.channel !== channel) return;  // cut: the upload is told "not confirmed"
    await drain(state.channel);
    sendData({ type: "document_chunk", doc_id: docId, index: i,
      data: toBase64(bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)) });
  }
}

// ---- call quality -----------------------------------------------------------------------

function startStats() {
  if (state.statsTimer) clearInterval(state.statsTimer);
  let last = null;
  state.statsTimer = setInterval(async () => {
    const pc = state.pc;
    if (!pc) return;
    const report = await pc.getStats();
    const s = { fps: 0, lost: 0, received: 0, rtt: null, width: 0, height: 0, framesDecoded: 0, audioBytes: 0 };
    report.forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") {
        s.fps = r.framesPerSecond || 0; s.lost += r.packetsLost || 0; s.received += r.packetsReceived || 0;
        s.width = r.frameWidth || 0; s.height = r.frameHeight || 0; s.framesDecoded = r.framesDecoded || 0;
      } else if (r.type === "inbound-rtp" && r.kind === "audio") {
        s.audioBytes = r.bytesReceived || 0; s.lost += r.packetsLost || 0; s.received += r.packetsReceived || 0;
      } else if (r.type === "candidate-pair" && r.nominated && r.state === "succeeded") {
        if (r.currentRoundTripTime !== undefined) s.rtt = r.currentRoundTripTime;
        const local = report.get(r.localCandidateId);
        if (local) s.localCandidate = local.candidateType;
      }
    });
    const dLost = last ? s.lost - last.lost : s.lost, dRecv = last ? s.received - last.received : s.received;
    const loss = dLost + dRecv > 0 ? dLost / (dLost + dRecv) : 0;
    last = s;
    s.loss = loss;
    state.stats = s;
    let level = "good";
    if (s.fps < 10 || loss > 0.05 || (s.rtt !== null && s.rtt > 0.4)) level = "poor";
    else if (s.fps < 20 || loss > 0.01 || (s.rtt !== null && s.rtt > 0.15)) level = "fair";
    if (level !== state.quality) {
      state.quality = level;
      renderQuality();
      sendData({ type: "quality", level });
    }
  }, 1000);
}

function renderQuality() {
  const q = $("quality");
  if (!q) return;
  q.dataset.level = state.quality;
  $("quality-text").textContent = state.quality ? t("quality_" + state.quality) : "";
}

// ---- controls ---------------------------------------------------------------------------

function toggle(kind, button, onKey, offKey) {
  if (!state.local) return;
  const tracks = kind === "audio" ? state.local.getAudioTracks() : state.local.getVideoTracks();
  const off = button.getAttribute("aria-pressed") !== "true";
  for (const tr of tracks) tr.enabled = !off;
  button.setAttribute("aria-pressed", String(off));
  button.dataset.i18n = off ? offKey : onKey;
  button.textContent = t(button.dataset.i18n);
}

// What the tests and a curious technician can read: no health data beyond the page itself.
window.cabine = {
  snapshot: () => ({
    view: ["login-view", "room-view", "call-view"].find((v) => !$(v).hidden) || "",
    callState: $("call-state").dataset.state || "",
    connection: state.pc ? state.pc.connectionState : "",
    channel: state.channel ? state.channel.readyState : "",
    callId: state.call ? state.call.callId : "",
    identitySource: state.identitySource,
    sessionId: state.call ? state.call.sessionId : "",
    link: linkUp(),
    rx: state.rx ? { version: state.rx.version, locked: state.rx.locked } : null,
    measures: JSON.parse(JSON.stringify(state.measures)),
    stats: state.stats, quality: state.quality, errors: state.errors,
    video: { width: $("remote-video").videoWidth, height: $("remote-video").videoHeight },
    exam: { width: $("exam-video").videoWidth, height: $("exam-video").videoHeight },
  }),
};

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("button.lang")) {
    b.addEventListener("click", () => { lang = b.dataset.lang; localStorage.setItem("cabine-lang", lang); applyLanguage(); });
  }
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("end-call").addEventListener("click", () => endCall(true));
  $("mute").addEventListener("click", (ev) => toggle("audio", ev.currentTarget, "mute", "unmute"));
  $("camera").addEventListener("click", (ev) => toggle("video", ev.currentTarget, "camera_off", "camera_on"));
  for (const b of document.querySelectorAll("button.measure")) {
    b.addEventListener("click", () => requestMeasure(b.dataset.kind));
  }
  $("rx-add").addEventListener("click", addLine);
  $("rx-edit").addEventListener("click", editPrescription);
  $("prescription-form").addEventListener("submit", sendPrescription);
  $("upload-form").addEventListener("submit", sendPdf);
  resetPatient("");
  applyLanguage();
  loadMe();
});
