"use strict";
// The doctor's aids during a call, beside app.js (whose top-level names it uses): the
// patient's mute shown on the video, written messages shown large on the cabin's screen
// (a patient who hears badly) with their "shown ✓", and "call the site's staff".
// The messages are health data: on the data channel only, in this page's memory only, gone
// with the patient (resetAids, from resetPatient); never logged.

Object.assign(TEXT.fr, {
  patient_muted: "Le patient a coupé son micro",
  chat_title: "Message écrit au patient",
  chat_label: "Texte affiché en grand dans la cabine",
  chat_send: "Afficher dans la cabine",
  chat_sending: "{time} · {text} — envoi…",
  chat_shown: "{time} · {text} — affiché ✓",
  chat_refused: "{time} · {text} — non affiché",
  chat_answer: "{time} · Le patient répond : {answer}",
  chat_empty: "Écrivez un message avant de l'envoyer.",
  chat_link_down: "Liaison avec la cabine interrompue : message non envoyé (il reste dans le champ).",
  answer_yes: "Oui", answer_no: "Non", answer_cannot_hear: "Je n'entends pas", answer_repeat: "Répétez",
  staff_title: "Personnel du site",
  staff_button: "Appeler le personnel du site",
  staff_asked: "Appel du personnel demandé…",
  staff_raised: "Personnel appelé depuis {since} : le patient est prévenu.",
  doctor_staff_coming: "{by} arrive.",
  staff_failed: "L'appel du personnel n'a pas pu être transmis à la cabine.",
});
Object.assign(TEXT.en, {
  patient_muted: "The patient muted their microphone",
  chat_title: "Written message to the patient",
  chat_label: "Text shown large in the cabin",
  chat_send: "Show in the cabin",
  chat_sending: "{time} · {text} — sending…",
  chat_shown: "{time} · {text} — shown ✓",
  chat_refused: "{time} · {text} — not shown",
  chat_answer: "{time} · The patient answers: {answer}",
  chat_empty: "Write a message before sending it.",
  chat_link_down: "Link with the cabin down: message not sent (it stays in the field).",
  answer_yes: "Yes", answer_no: "No", answer_cannot_hear: "I can't hear", answer_repeat: "Please repeat",
  staff_title: "Site staff",
  staff_button: "Call the site's staff",
  staff_asked: "Staff call asked…",
  staff_raised: "Staff called {since} ago: the patient has been told.",
  doctor_staff_coming: "{by} is coming.",
  staff_failed: "The staff call could not reach the cabin.",
});
for (const type of ["mute", "chat_answer"]) DATA_TYPES.add(type);

const CHAT_MAX = 280;  // protocol.MAX_CHAT_TEXT
const CHAT_ANSWERS = new Set(["yes", "no", "cannot_hear", "repeat"]);
// What the page holds of the exchange: [{time, text, status | answer}], gone with the patient.
const aids = { chat: [], staff: "" };

function aidsMarkup() {
  const muted = document.createElement("p");
  muted.id = "patient-muted";
  muted.className = "patient-muted";
  muted.setAttribute("role", "status");
  muted.hidden = true;
  // a microphone struck through, drawn (an emoji's font may be missing)
  muted.innerHTML = `<svg class="muted-sign" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
    <path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM6 11a6 6 0 0 0 12 0M12 17v4M9 21h6"
      fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
    <path d="M4 4l16 16" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/></svg>
    <span data-i18n="patient_muted"></span>`;
  $("stage").append(muted);

  const box = document.createElement("section");
  box.id = "aids";
  box.setAttribute("aria-labelledby", "chat-title");
  box.innerHTML = `
    <h2 id="chat-title" data-i18n="chat_title"></h2>
    <form id="chat-form" novalidate>
      <label for="chat-text" data-i18n="chat_label"></label>
      <textarea id="chat-text" rows="2" maxlength="${CHAT_MAX}"></textarea>
      <button type="submit" id="chat-send" data-i18n="chat_send"></button>
    </form>
    <p id="chat-status" class="note" role="status"></p>
    <ol id="chat-log" class="chat-log" aria-live="polite"></ol>
    <h2 data-i18n="staff_title"></h2>
    <button type="button" id="staff-call" data-i18n="staff_button"></button>
    <p id="staff-status" class="note" role="status"></p>`;
  $("link-note").after(box);
}

function clock(at) {
  return new Date(at).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

function renderChat() {
  const log = $("chat-log");
  log.replaceChildren();
  for (const line of aids.chat) {
    const li = document.createElement("li");
    li.dataset.status = line.answer ? "answer" : line.status;
    const time = clock(line.at);
    if (line.answer) say(li, "chat_answer", { time, answer: [`answer_${line.answer}`] });
    else say(li, `chat_${line.status}`, { time, text: line.text });
    log.append(li);
  }
}

function sendChat(ev) {
  ev.preventDefault();
  const field = $("chat-text");
  const text = field.value.replace(/\s+/g, " ").trim().slice(0, CHAT_MAX);
  if (!text) { say("chat-status", "chat_empty"); field.focus(); return; }
  const line = { at: Date.now(), text, status: "sending", patient: state.patient };
  const sent = sendData({ type: "chat", text }, (ok) => {
    if (state.patient !== line.patient) return;  // another patient since: not theirs
    line.status = ok ? "shown" : "refused";
    renderChat();
  });
  if (!sent) { say("chat-status", "chat_link_down"); return; }  // the words stay in the field
  say("chat-status", "");
  aids.chat.push(line);
  field.value = "";
  renderChat();
}

function callStaff() {
  if (aids.staff === "asked") return;  // a second click while the cabin has not answered
  aids.staff = "asked";
  const patient = state.patient;
  const sent = sendData({ type: "call_staff" }, (ok) => {
    if (state.patient !== patient) return;
    aids.staff = ok ? "raised" : "failed";
    renderStaff();
  });
  if (!sent) aids.staff = "failed";
  renderStaff();
}

// Where the staff call stands: the cabin's answer, then the portal's word (the room).
function renderStaff() {
  const cabin = state.call && state.room
    && (state.room.cabins || []).find((c) => c.cabin_id === state.call.cabinId);
  const call = cabin && cabin.staff_call;
  if (call && call.coming) say("staff-status", "doctor_staff_coming", { by: call.coming });
  else if (call) {
    const since = Math.max(0, Math.round(call.since_s + (performance.now() - state.roomAt) / 1000));
    say("staff-status", "staff_raised", { since: `${since} s` });
  } else if (aids.staff === "failed") say("staff-status", "staff_failed");
  else if (aids.staff) say("staff-status", "staff_asked");  // the room has not said it yet
  else say("staff-status", "");
}

// The buttons stay active while the link is down: a press says it could not be sent, and the
// words stay in the field (nothing is lost).

// The data channel's messages app.js leaves to this page part.
function onAidData(msg) {
  if (msg.type === "mute") {
    if (typeof msg.muted !== "boolean") throw new Error("bad mute");
    $("patient-muted").hidden = !msg.muted;
  } else if (msg.type === "chat_answer") {
    if (!CHAT_ANSWERS.has(msg.answer)) throw new Error("bad answer");
    aids.chat.push({ at: Date.now(), answer: msg.answer });
    renderChat();
  }
}

// With the patient's reset (taken, call ended, logout): nothing of theirs stays.
function resetAids() {
  $("patient-muted").hidden = true;
  aids.chat = [];
  aids.staff = "";
  $("chat-text").value = "";
  say("chat-status", "");
  say("staff-status", "");
  renderChat();
}

aidsMarkup();
document.addEventListener("DOMContentLoaded", () => {
  $("chat-form").addEventListener("submit", sendChat);
  $("staff-call").addEventListener("click", callStaff);
  setInterval(renderStaff, 1000);  // the room's word on the staff call, and its time
});
