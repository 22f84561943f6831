"use strict";
// The doctor's papers beyond the prescription: the report for the patient's GP (sent over the
// data channel, printed in the cabin as its own page), the doctor's signature (uploaded once
// to their account), the sick-note notice, and the prescription form shown only where the
// site enables it ([prescriptions] form). Loaded after app.js: its functions and state are
// this file's (t, tf, say, $, state, sendData, linkUp, noteSent).

Object.assign(TEXT.fr, {
  gp_heading: "Compte rendu pour le médecin traitant",
  gp_help: "Imprimé en cabine sur une page à part, que le patient remet à son médecin traitant, avec les mesures de la séance. Votre texte est imprimé tel quel.",
  gp_reason: "Motif de consultation", gp_findings: "Constatations", gp_advice: "Conseils donnés",
  gp_follow_up: "Suivi proposé", gp_send: "Envoyer le compte rendu",
  gp_empty: "Écrivez au moins un des quatre champs.",
  gp_sent_again: "Un nouvel envoi remplace le compte rendu déjà envoyé (imprimé une seule fois).",
  gp_received: "Compte rendu reçu par la cabine ✓ — imprimé à la fin de la consultation",
  gp_refused: "Compte rendu refusé par la cabine ✗",
  doc_gp_report: "fiche compte rendu (version {v})",
  sick_note: "Arrêt de travail : non imprimable en cabine — depuis juillet 2025, formulaire sécurisé Cerfa obligatoire ; faites-le en ligne (amelipro).",
  rx_form_off: "Ordonnance : envoyez le PDF de votre logiciel de prescription (ordonnance numérique), imprimé tel quel. Le formulaire d'ordonnance du portail n'est pas activé sur ce site.",
  sig_heading: "Ma signature", sig_help: "Image PNG ou JPEG (1 Mo au plus), placée sur les ordonnances faites avec le formulaire et sur les comptes rendus. Ses métadonnées sont retirées.",
  sig_file: "Image de la signature", sig_upload: "Enregistrer la signature", sig_remove: "Retirer la signature",
  sig_none: "Aucune signature enregistrée.", sig_saved: "Signature enregistrée ✓", sig_removed: "Signature retirée.",
  sig_choose: "Choisissez d'abord une image.", sig_too_big: "L'image dépasse 1 Mo.",
  sig_refused: "Image refusée : {why}", sig_off: "L'enregistrement d'une signature n'est pas activé sur ce portail.",
  sig_alt: "Votre signature enregistrée", sig_failed: "Enregistrement impossible, réessayez.",
});
Object.assign(TEXT.en, {
  gp_heading: "Report for the patient's GP",
  gp_help: "Printed in the cabin on a page of its own, which the patient gives to their GP, with the session's readings. Your text is printed as written.",
  gp_reason: "Reason for the consultation", gp_findings: "Findings", gp_advice: "Advice given",
  gp_follow_up: "Follow-up", gp_send: "Send the report",
  gp_empty: "Write at least one of the four fields.",
  gp_sent_again: "Sending again replaces the report already sent (printed once).",
  gp_received: "Report received by the cabin ✓ — printed at the end of the consultation",
  gp_refused: "Report refused by the cabin ✗",
  doc_gp_report: "report (version {v})",
  sick_note: "Sick note: cannot be printed in the cabin — since July 2025 the secured Cerfa form is compulsory; make it online (amelipro).",
  rx_form_off: "Prescription: send the PDF from your prescribing software (e-prescription), printed unaltered. The portal's prescription form is not enabled on this site.",
  sig_heading: "My signature", sig_help: "A PNG or JPEG image (1 MB at most), placed on prescriptions made with the form and on reports. Its metadata is removed.",
  sig_file: "Signature image", sig_upload: "Save the signature", sig_remove: "Remove the signature",
  sig_none: "No signature saved.", sig_saved: "Signature saved ✓", sig_removed: "Signature removed.",
  sig_choose: "Choose an image first.", sig_too_big: "The image is larger than 1 MB.",
  sig_refused: "Image refused: {why}", sig_off: "Saving a signature is not enabled on this portal.",
  sig_alt: "Your saved signature", sig_failed: "Could not save, try again.",
});

const GP_FIELDS = ["reason", "findings", "advice", "follow_up"];
const MAX_SIGNATURE_UPLOAD = 1024 * 1024;
const papers = { form: false, signatures: false, signature: "", report: null };

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "i18n") node.dataset.i18n = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  if (attrs.i18n) node.textContent = t(attrs.i18n);
  return node;
}

function buildReport() {
  const form = el("form", { id: "gp-form", novalidate: "" });
  form.append(el("p", { class: "note", id: "gp-help", i18n: "gp_help" }));
  for (const name of GP_FIELDS) {
    const label = el("label", { class: "gp-field" }, [el("span", { i18n: `gp_${name}` })]);
    label.append(el("textarea", {
      id: `gp-${name}`, rows: name === "findings" ? "4" : "2", maxlength: "2000",
      spellcheck: "true", autocomplete: "off", "aria-describedby": "gp-help",
    }));
    form.append(label);
  }
  form.append(el("button", { type: "submit", id: "gp-send", class: "primary", i18n: "gp_send" }));
  form.append(el("p", { id: "gp-status", role: "status" }));
  form.addEventListener("submit", sendReport);
  const upload = $("upload-form");
  const notice = el("p", { id: "sick-note", class: "note sick-note", i18n: "sick_note" });
  upload.after(notice);
  notice.after(el("h2", { id: "gp-heading", i18n: "gp_heading" }), form);
  // the prescription form, off unless the site enables it: a note says what to do instead
  $("prescription-form").before(el("p", { id: "rx-form-off", class: "note", hidden: "", i18n: "rx_form_off" }));
}

function buildSignature() {
  const box = el("details", { id: "signature", class: "signature" });
  box.append(el("summary", { i18n: "sig_heading" }));
  box.append(el("p", { class: "note", id: "sig-help", i18n: "sig_help" }));
  box.append(el("img", { id: "sig-image", alt: "", hidden: "" }));
  box.append(el("p", { id: "sig-none", i18n: "sig_none" }));
  const form = el("form", { id: "sig-form" });
  const label = el("label", {}, [el("span", { i18n: "sig_file" })]);
  label.append(el("input", { id: "sig-file", type: "file", accept: "image/png,image/jpeg", "aria-describedby": "sig-help" }));
  form.append(label, el("button", { type: "submit", id: "sig-upload", i18n: "sig_upload" }),
    el("button", { type: "button", id: "sig-remove", hidden: "", i18n: "sig_remove" }));
  box.append(form, el("p", { id: "sig-status", role: "status" }));
  form.addEventListener("submit", uploadSignature);
  form.querySelector("#sig-remove").addEventListener("click", removeSignature);
  $("cabins").after(box);
}

function renderPapers() {
  const rxHeading = $("prescription-form").previousElementSibling;
  $("prescription-form").hidden = !papers.form;
  $("rx-form-off").hidden = papers.form;
  if (rxHeading && rxHeading.tagName === "H2") rxHeading.hidden = false;
  $("signature").hidden = !papers.signatures;
  const img = $("sig-image");
  img.hidden = !papers.signature;
  if (papers.signature) { img.src = papers.signature; img.alt = t("sig_alt"); } else img.removeAttribute("src");
  $("sig-none").hidden = Boolean(papers.signature);
  $("sig-remove").hidden = !papers.signature;
  // the form's prescriptions and the reports carry it (the cabin places it on the paper)
  if (state.me) {
    if (papers.signature) state.me.signature = papers.signature;
    else delete state.me.signature;
  }
}

// Called by app.js once the doctor is logged in (state.me known).
async function papersLoaded() {
  try {
    const r = await fetch("/api/papers", { credentials: "same-origin" });
    if (r.status !== 200) return;
    const body = await r.json();
    papers.form = body.form === true;
    papers.signatures = body.signatures === true;
    papers.signature = typeof body.signature === "string" ? body.signature : "";
  } catch (e) { /* the portal is unreachable: the form stays off, nothing else changes */ }
  renderPapers();
}

// A photo of a signature weighs more than the portal's requests may (64 KiB): shrunk here
// to the size it prints at (the portal re-encodes it again and drops any metadata).
const UPLOAD_CAP = 60 * 1024;
async function shrunk(file) {
  if (file.size <= UPLOAD_CAP) return file;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 600 / bitmap.width, 200 / bitmap.height);
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob || file), "image/png"));
}

async function uploadSignature(ev) {
  ev.preventDefault();
  const file = $("sig-file").files[0];
  if (!file) { say("sig-status", "sig_choose"); return; }
  if (file.size > MAX_SIGNATURE_UPLOAD) { say("sig-status", "sig_too_big"); return; }
  let r;
  try {
    const body = /^image\/(png|jpeg)$/.test(file.type) ? await shrunk(file) : file;
    r = await fetch("/api/signature", {
      method: "POST", credentials: "same-origin", body,
      headers: { "Content-Type": body.type || "application/octet-stream" },
    });
  } catch (e) { say("sig-status", "sig_failed"); return; }
  if (r.status === 404) { say("sig-status", "sig_off"); return; }
  if (r.status === 413) { say("sig-status", "sig_too_big"); return; }
  if (r.status !== 200) { say("sig-status", "sig_refused", { why: (await r.text()).slice(0, 200) }); return; }
  papers.signature = (await r.json()).signature || "";
  $("sig-file").value = "";
  renderPapers();
  say("sig-status", "sig_saved");
}

async function removeSignature() {
  let r;
  try {
    r = await fetch("/api/signature", { method: "DELETE", credentials: "same-origin" });
  } catch (e) { say("sig-status", "sig_failed"); return; }
  if (r.status !== 200) { say("sig-status", "sig_failed"); return; }
  papers.signature = "";
  renderPapers();
  say("sig-status", "sig_removed");
}

// ---- the report: bound to the session it was written for; a later version replaces ----------

function sendReport(ev) {
  ev.preventDefault();
  if (!state.call) { say("gp-status", "no_channel"); return; }
  const texts = Object.fromEntries(GP_FIELDS.map((n) => [n, $(`gp-${n}`).value.trim()]));
  if (!GP_FIELDS.some((n) => texts[n])) { say("gp-status", "gp_empty"); $("gp-reason").focus(); return; }
  if (!linkUp()) { say("gp-status", "link_down"); return; }
  const sessionId = state.call.sessionId;
  if (!papers.report || papers.report.sessionId !== sessionId) papers.report = { sessionId, version: 0 };
  const report = papers.report;
  const version = report.version + 1;
  const me = state.me || {};
  const doctor = { name: me.name || "", rpps: me.rpps || "" };
  if (papers.signature) doctor.signature = papers.signature;
  const msg = { type: "gp_report", session_id: sessionId, version, report: { ...texts, doctor } };
  let entry = null;
  const ok = sendData(msg, (acked) => {
    if (entry) entry.status = acked ? "received" : "refused";
    if (papers.report !== report || report.version !== version) return;  // replaced since
    say("gp-status", acked ? "gp_received" : "gp_refused");
  }, true);
  if (!ok) { say("gp-status", "no_channel"); return; }
  state.sent = state.sent.filter((d) => d.kind !== "gp_report");
  entry = { kind: "gp_report", version, status: "sent" };
  state.sent.push(entry);
  report.version = version;
  say("gp-status", version > 1 ? "gp_sent_again" : "sent");
}

// Called by app.js when a data channel opens: the cabin prints the doctor's name on the
// patient's results sheet (the page is the only one to know who the doctor is).
function papersChannelOpen() {
  const me = state.me || {};
  if (!state.call || !me.name) return;
  const msg = { type: "doctor", session_id: state.call.sessionId, name: me.name };
  if (me.rpps) msg.rpps = me.rpps;
  sendData(msg);
}

// Called by app.js's resetPatient: the report goes with the patient.
function resetReport() {
  papers.report = null;
  for (const n of GP_FIELDS) { const f = $(`gp-${n}`); if (f) f.value = ""; }
  if ($("gp-status")) say("gp-status", "");
}

document.head.append(el("link", { rel: "stylesheet", href: "/static/report.css" }));
buildReport();
buildSignature();
renderPapers();
