// Cabine doctor page: the session's readings as a FHIR R4 bundle, to download for the
// doctor's own software. The cabin makes the bundle and sends it on the call's data channel
// (never through the portal); this page only puts the pieces together and saves the file.
// Loaded after app.js, whose top-level names (state, sendData, say, t, TEXT...) it uses.
"use strict";

Object.assign(TEXT.fr, {
  fhir_download: "Télécharger les mesures (FHIR)",
  fhir_asking: "Préparation du fichier par la cabine…",
  fhir_saved: "Fichier enregistré : {name}",
  // why the file did not come, each a whole sentence (re-said in the other language)
  fhir_failed_not_found: "Fichier non reçu : aucune mesure dans cette consultation. Réessayez.",
  fhir_failed_timeout: "Fichier non reçu : la cabine n'a pas répondu. Réessayez.",
  fhir_failed_link_lost: "Fichier non reçu : liaison interrompue. Réessayez.",
  fhir_failed_bad: "Fichier non reçu : fichier incomplet. Réessayez.",
  fhir_failed_other: "Fichier non reçu : la cabine n'a pas pu le préparer. Réessayez.",
});
Object.assign(TEXT.en, {
  fhir_download: "Download the readings (FHIR)",
  fhir_asking: "The cabin is preparing the file…",
  fhir_saved: "File saved: {name}",
  fhir_failed_not_found: "File not received: no reading in this consultation. Try again.",
  fhir_failed_timeout: "File not received: the cabin did not answer. Try again.",
  fhir_failed_link_lost: "File not received: link interrupted. Try again.",
  fhir_failed_bad: "File not received: incomplete file. Try again.",
  fhir_failed_other: "File not received: the cabin could not prepare it. Try again.",
});
DATA_TYPES.add("fhir_bundle");

const FHIR_WAIT_MS = 30000;
const FHIR_MAX_CHUNKS = 64;
// the request in flight: {id, sessionId, chunks, pieces, timer}; its pieces are the only
// patient data this file keeps, dropped as soon as the file is saved or given up
const fhir = { pending: null, state: "idle", file: "", why: "" };

function fhirName(sessionId) {
  // the doctor's own day (toISOString alone is UTC's)
  const now = new Date();
  const day = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  return `mesures-fhir-${sessionId.replace(/[^A-Za-z0-9_-]/g, "")}-${day}.json`;
}

function renderFhir() {
  const button = $("fhir-download");
  if (!button) return;
  button.disabled = !linkUp() || state.readings.length === 0 || Boolean(fhir.pending);
}

function fhirDone(ok, code) {
  const p = fhir.pending;
  fhir.pending = null;
  if (!p) return;
  clearTimeout(p.timer);
  let bundle = null;
  if (ok) {
    try {
      if (p.pieces.length !== p.chunks) throw new Error("missing pieces");
      bundle = JSON.parse(p.pieces.join(""));
      if (!bundle || bundle.resourceType !== "Bundle" || !Array.isArray(bundle.entry)) throw new Error("not a bundle");
    } catch (e) { bundle = null; code = "bad"; }
  }
  p.pieces = [];
  if (!bundle) {
    const why = ["not_found", "timeout", "link_lost", "bad"].includes(code) ? code : "other";
    Object.assign(fhir, { state: "failed", file: "", why });
    say("fhir-status", `fhir_failed_${why}`);
  } else {
    const name = fhirName(p.sessionId);
    const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: "application/fhir+json" }));
    const a = document.createElement("a");
    a.href = url; a.download = name; a.hidden = true;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    Object.assign(fhir, { state: "saved", file: name, why: "" });
    say("fhir-status", "fhir_saved", { name });
  }
  renderFhir();
}

function askFhir() {
  if (!state.call || fhir.pending) return;
  const msg = { type: "fhir_request", session_id: state.call.sessionId };
  const sent = sendData(msg, fhirDone);
  if (!sent) { say("fhir-status", "fhir_failed_link_lost"); return; }
  fhir.pending = {
    id: msg.id, sessionId: state.call.sessionId, chunks: 0, pieces: [],
    timer: setTimeout(() => { state.pending.delete(msg.id); fhirDone(false, "timeout"); }, FHIR_WAIT_MS),
  };
  Object.assign(fhir, { state: "asking", file: "", why: "" });
  say("fhir-status", "fhir_asking");
  renderFhir();
}

// One piece of the bundle the cabin sends (in order); anything else is refused (thrown).
function onFhirBundle(msg) {
  const p = fhir.pending;
  const { index, chunks } = msg;
  if (!p || msg.ref !== p.id || msg.session_id !== p.sessionId || typeof msg.data !== "string"
    || !Number.isInteger(chunks) || chunks < 1 || chunks > FHIR_MAX_CHUNKS
    || !Number.isInteger(index) || index !== p.pieces.length || index >= chunks
    || (p.chunks && chunks !== p.chunks)) {
    throw new Error("bad fhir_bundle");
  }
  p.chunks = chunks;
  p.pieces.push(msg.data);
}

// With the patient's other data (app.js's resetPatient): nothing of a bundle stays.
function resetFhir() {
  if (fhir.pending) { clearTimeout(fhir.pending.timer); fhir.pending = null; }
  Object.assign(fhir, { state: "idle", file: "", why: "" });
  if ($("fhir-download")) say("fhir-status", "");
  renderFhir();
}

window.cabine.fhir = () => ({ state: fhir.state, file: fhir.file, why: fhir.why });

document.addEventListener("DOMContentLoaded", () => {
  const line = document.createElement("div");
  line.className = "fhir-download";
  line.innerHTML = '<button type="button" id="fhir-download" data-i18n="fhir_download"></button>'
    + '<p id="fhir-status" class="note" role="status"></p>';
  $("readings").after(line);
  $("fhir-download").textContent = t("fhir_download");
  $("fhir-download").addEventListener("click", askFhir);
  // the button follows the readings shown and the link to the cabin
  const watch = new MutationObserver(renderFhir);
  watch.observe($("readings"), { childList: true });
  watch.observe($("call-view"), { attributes: true, attributeFilter: ["data-link"] });
  renderFhir();
});
